/**
 * What a new password must be. Length matters most (NIST SP 800-63B); no composition
 * rules, which push people to `Password1!`. Instead: not the username, and not one of the
 * passwords every guessing list starts with.
 */
export interface PasswordProblem {
  code: 'password-too-short' | 'password-too-long' | 'password-is-username' | 'password-too-common';
  message: string;
}

export const PASSWORD_MAX_LENGTH = 256;

// The head of the public breach lists, plus what people type at a contact center. Compared
// after lower-casing and dropping spaces and trailing digits/punctuation, so `Password123!`
// and `pass word` are caught too.
const COMMON = new Set([
  'password', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'qwerty', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'iloveyou',
  'letmein', 'welcome', 'admin', 'administrator', 'root', 'changeme', 'default', 'secret', 'monkey', 'dragon',
  'football', 'baseball', 'sunshine', 'princess', 'trustno1', 'abc', 'abcdef', 'abcdefg', 'abcdefgh', 'master',
  'superman', 'batman', 'shadow', 'michael', 'login', 'starwars', 'whatever', 'freedom', 'hello', 'helloworld',
  'qazwsx', '1q2w3e4r', '1qaz2wsx', 'zaq12wsx', 'aa', 'asdf', 'test', 'testing', 'guest', 'user', 'agent',
  'supervisor', 'support', 'callcenter', 'contactcenter', 'asterisk', 'voip', 'phone', 'telephone', 'company',
  'summer', 'winter', 'spring', 'autumn', 'woaini', 'wodemima', 'mima', 'zhongguo', 'china',
]);

function normalise(password: string): string {
  return password.toLowerCase().replace(/\s+/g, '').replace(/[0-9!@#$%^&*.?_-]+$/, '');
}

/** Whether it is a run like `1234567890`, `aaaaaaaaaa` or `abcdefghij` (all digits count as a run too). */
function isTrivialRun(password: string): boolean {
  if (/^(.)\1*$/.test(password)) return true;
  if (/^[0-9]+$/.test(password)) return true;
  const codes = [...password.toLowerCase()].map((c) => c.codePointAt(0) ?? 0);
  return codes.every((c, i) => i === 0 || c - (codes[i - 1] ?? 0) === 1);
}

/** Every rule a candidate password breaks, empty when it is acceptable. */
export function passwordProblems(password: string, username: string, minLength: number): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < minLength) {
    problems.push({ code: 'password-too-short', message: `the password must have at least ${minLength} characters` });
  }
  if (length > PASSWORD_MAX_LENGTH) {
    problems.push({ code: 'password-too-long', message: `the password must have at most ${PASSWORD_MAX_LENGTH} characters` });
  }
  const lowered = password.toLowerCase().replace(/\s+/g, '');
  const name = username.trim().toLowerCase();
  if (name && (lowered === name || normalise(password) === name || lowered.includes(name) && lowered.length - name.length < 4)) {
    problems.push({ code: 'password-is-username', message: 'the password must not be the username' });
  }
  const core = normalise(password);
  if (COMMON.has(core) || COMMON.has(lowered) || core.length === 0 || isTrivialRun(lowered)) {
    problems.push({ code: 'password-too-common', message: 'the password is too common or too easy to guess; choose another' });
  }
  return problems;
}
