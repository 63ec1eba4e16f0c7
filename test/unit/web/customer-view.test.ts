import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { customerInputOf, duration, newCustomerFormModel } from '../../../server/web/view-models/customers.js';

describe('customer view models', () => {
  it('durations read as m:ss, or h:mm:ss from an hour; unknown is blank', () => {
    assert.equal(duration(0), '0:00');
    assert.equal(duration(65_000), '1:05');
    assert.equal(duration(3_725_000), '1:02:05');
    assert.equal(duration(null), '');
  });

  it('form text becomes the CRM input: tags by comma, numbers by comma or line, blanks dropped', () => {
    assert.deepEqual(customerInputOf({ name: 'A', level: '', tags: ' a, ,b ', numbers: '+1 555\n\n020 7946, 123', notes: '' }), {
      name: 'A', tags: ['a', 'b'], numbers: ['+1 555', '020 7946', '123'], notes: '',
    });
    assert.deepEqual(customerInputOf({}), {}, 'fields the form did not send are not changed');
  });

  it('the new-customer form is prefilled with the caller number and standard level', () => {
    const m = newCustomerFormModel({ callerNumber: '+8613812345678', locale: 'en' });
    assert.equal(m.values.numbers, '+8613812345678');
    assert.deepEqual(m.levels.filter((l) => l.selected).map((l) => l.value), ['standard']);
    const again = newCustomerFormModel({ callerNumber: '+8613812345678', values: { name: 'X', numbers: '', level: 'vip' }, locale: 'zh-CN' });
    assert.equal(again.values.numbers, '', 'a re-shown form keeps what was typed, even an emptied number');
    assert.deepEqual(again.levels.filter((l) => l.selected).map((l) => l.label), ['VIP']);
  });
});
