// Bodies built from a route's JSON schema (TypeBox is JSON Schema): one that a validator
// should accept, and the bad variants of it that the bad-input walk sends. Generic on
// purpose, so routes added later are walked without anyone listing them.

type Schema = Record<string, any>;

export const INJECTIONS = ['<script>alert(1)</script>', "' OR 1=1 --", '\n[evil]\n', '${7*7}', '{{constructor}}'] as const;
export const OVERSIZED = 'x'.repeat(100_000);

// Candidates tried, in order, for a string with a pattern: the first that fits wins.
const STRING_CANDIDATES = ['abc', 'a1', '1001', '12345', '+15551234567', '00:15:65:ab:cd:01', 'bad-input-1', '2026-01-01', '09:00', 'ready', 'x'];

const optionsOf = (s: Schema): Schema[] => (s.anyOf ?? s.oneOf ?? []) as Schema[];

function sampleString(s: Schema): string {
  if (s.const !== undefined) return String(s.const);
  if (Array.isArray(s.enum)) return String(s.enum[0]);
  const min = (s.minLength as number | undefined) ?? 1;
  const fits = (v: string) => v.length >= min && (s.maxLength === undefined || v.length <= s.maxLength)
    && (s.pattern === undefined || new RegExp(s.pattern as string, 'u').test(v));
  const found = STRING_CANDIDATES.map((c) => (c.length < min ? c.padEnd(min, c) : c)).find(fits);
  if (found !== undefined) return found;
  if (s.format === 'date-time') return new Date().toISOString();
  return 'a'.repeat(min);
}

/** A value the schema accepts (as far as a generic guess can tell). */
export function sample(s: Schema | undefined): unknown {
  if (!s) return {};
  if (s.const !== undefined) return s.const;
  const options = optionsOf(s);
  if (options.length) return sample(options.find((o) => o.type !== 'null') ?? options[0]);
  if (s.allOf) return Object.assign({}, ...(s.allOf as Schema[]).map((o) => sample(o)));
  switch (Array.isArray(s.type) ? s.type[0] : s.type) {
    case 'string': return sampleString(s);
    case 'integer':
    case 'number': return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    case 'boolean': return false;
    case 'null': return null;
    case 'array': return Array.from({ length: (s.minItems as number | undefined) ?? 0 }, () => sample(s.items as Schema));
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const required = new Set((s.required ?? []) as string[]);
      return Object.fromEntries(Object.entries(props).filter(([k]) => required.has(k)).map(([k, v]) => [k, sample(v)]));
    }
    default: return {};
  }
}

/** A value of the wrong type for the schema, one Ajv's type coercion cannot turn into a right one. */
export function wrongTypeFor(s: Schema): unknown {
  const type = Array.isArray(s.type) ? s.type[0] : s.type ?? optionsOf(s).map((o) => o.type)[0];
  if (type === 'string') return { not: 'a string' };
  if (type === 'integer' || type === 'number') return 'not a number';
  if (type === 'boolean') return 'not a boolean';
  if (type === 'array') return { not: 'an array' };
  return 12345;
}

/** The body's top-level fields: name, schema, required. Unions of objects are merged. */
export function fieldsOf(body: Schema | undefined): Array<{ name: string; schema: Schema; required: boolean }> {
  if (!body) return [];
  const objects = optionsOf(body).length ? optionsOf(body) : [body];
  const seen = new Map<string, { name: string; schema: Schema; required: boolean }>();
  for (const o of objects) {
    const required = new Set((o.required ?? []) as string[]);
    for (const [name, schema] of Object.entries((o.properties ?? {}) as Record<string, Schema>)) {
      if (!seen.has(name)) seen.set(name, { name, schema, required: required.has(name) });
    }
  }
  return [...seen.values()];
}

/** Whether a field takes text (so injection strings and oversized text belong there). */
export function takesText(s: Schema): boolean {
  if (s.type === 'string' && s.const === undefined && !Array.isArray(s.enum)) return true;
  return optionsOf(s).some((o) => o.type === 'string' && o.const === undefined);
}
