import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { safeLocalPath } from '../../../server/web/request-kind.js';

describe('where sign-in may send the browser next', () => {
  it('keeps a path on this site, with its query', () => {
    assert.equal(safeLocalPath('/admin/agents'), '/admin/agents');
    assert.equal(safeLocalPath('/admin/agents?x=1&y=%2F'), '/admin/agents?x=1&y=%2F');
  });

  it('sends anything that could leave the site to the start page', () => {
    for (const next of ['https://evil.example/', '//evil.example', '/\\evil.example', '/\t/evil.example', '/\n/evil', 'evil', '', ' /x']) {
      assert.equal(safeLocalPath(next), '/', JSON.stringify(next));
    }
  });

  it('ignores values that are not strings or are unreasonably long', () => {
    assert.equal(safeLocalPath(undefined), '/');
    assert.equal(safeLocalPath(['/a']), '/');
    assert.equal(safeLocalPath(`/${'a'.repeat(600)}`), '/');
  });
});
