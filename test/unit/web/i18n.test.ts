import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { catalogKeys, LOCALES, parseAcceptLanguage, pickLocale, t } from '../../../server/web/i18n/index.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('translation catalogs', () => {
  it('every key in en.json exists in zh-CN.json', () => {
    const zh = new Set(catalogKeys('zh-CN'));
    assert.deepEqual(catalogKeys('en').filter((k) => !zh.has(k)), []);
  });

  it('every key in zh-CN.json exists in en.json', () => {
    const en = new Set(catalogKeys('en'));
    assert.deepEqual(catalogKeys('zh-CN').filter((k) => !en.has(k)), []);
  });

  it('no translation is empty and each uses the same placeholders as the English text', () => {
    for (const locale of LOCALES) {
      for (const key of catalogKeys('en')) {
        const text = t(locale, key);
        assert.ok(text.trim().length > 0, `${locale} ${key} is empty`);
        assert.deepEqual(placeholders(text), placeholders(t('en', key)), `${locale} ${key}`);
      }
    }
  });
});

describe('t(locale, key, vars)', () => {
  it('gives the text of the requested language', () => {
    assert.equal(t('en', 'login.title'), 'Sign in');
    assert.equal(t('zh-CN', 'login.title'), '登录');
  });

  it('falls back to English for a language we do not have', () => {
    assert.equal(t('fr', 'login.title'), 'Sign in');
    assert.equal(t('', 'login.title'), 'Sign in');
  });

  it('shows the key itself when no catalog has it, so the gap is visible instead of blank', () => {
    assert.equal(t('zh-CN', 'no.such.key'), 'no.such.key');
  });

  it('substitutes variables and leaves unknown placeholders as they are', () => {
    assert.equal(t('en', 'nav.signedInAs', { name: 'Ann' }), 'Signed in as Ann');
    assert.equal(t('zh-CN', 'nav.signedInAs', { name: '李雷' }), '当前用户：李雷');
    assert.equal(t('en', 'error.title', { status: 404 }), 'Error 404');
    assert.equal(t('en', 'nav.signedInAs'), 'Signed in as {name}');
    assert.equal(t('en', 'nav.signedInAs', { other: 'x' }), 'Signed in as {name}');
  });

  it('does not treat substituted text as further placeholders', () => {
    assert.equal(t('en', 'nav.signedInAs', { name: '{status}' }), 'Signed in as {status}');
  });
});

describe('choosing the language of a request', () => {
  it('prefers the lang cookie, then the user setting, then the browser', () => {
    assert.equal(pickLocale({ cookie: 'zh-CN', userLocale: 'en', acceptLanguage: 'en' }), 'zh-CN');
    assert.equal(pickLocale({ userLocale: 'zh-CN', acceptLanguage: 'en' }), 'zh-CN');
    assert.equal(pickLocale({ acceptLanguage: 'zh-CN,zh;q=0.9' }), 'zh-CN');
  });

  it('skips a source that names a language we do not have', () => {
    assert.equal(pickLocale({ cookie: 'klingon', userLocale: 'xx', acceptLanguage: 'de-DE, zh;q=0.5' }), 'zh-CN');
  });

  it('maps regional and script variants to the language we have', () => {
    assert.equal(pickLocale({ acceptLanguage: 'zh-Hans-CN' }), 'zh-CN');
    assert.equal(pickLocale({ acceptLanguage: 'en-GB' }), 'en');
    assert.equal(pickLocale({ cookie: 'zh-cn' }), 'zh-CN');
  });

  it('uses English when nothing is known', () => {
    assert.equal(pickLocale({}), 'en');
    assert.equal(pickLocale({ acceptLanguage: '*' }), 'en');
  });

  it('orders Accept-Language by q-value, keeping header order between equals', () => {
    assert.deepEqual(parseAcceptLanguage('en;q=0.4, zh-CN, de;q=0.8, fr'), ['zh-CN', 'fr', 'de', 'en']);
    assert.deepEqual(parseAcceptLanguage('en;q=0, zh'), ['zh']);
    assert.deepEqual(parseAcceptLanguage(undefined), []);
  });
});
