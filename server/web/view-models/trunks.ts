import type { FastifyInstance } from 'fastify';
import { TRUNK_KINDS, type TrunkWithStatus } from '../../trunks/index.js';

// The view model of /admin/trunks (views/admin/trunks.hbs and partials/trunk-fields.hbs).
// Values are plain text; the templates print them with {{ }}, which escapes.

/** The codec orders the form offers (China and Europe use A-law, North America µ-law). */
const CODEC_CHOICES = ['ulaw,alaw', 'alaw,ulaw', 'ulaw', 'alaw'] as const;

export interface TrunksPageExtra {
  problem?: string;
  saved?: boolean;
  /** The refused new-trunk form, shown again (without its password). */
  form?: Partial<Record<'name' | 'label' | 'kind' | 'host' | 'port' | 'match' | 'username' | 'fromDomain' | 'codecs' | 'enabled' | 'outbound', string>>;
}

interface FieldValues {
  name: string; label: string; kind: string; host: string; port: string; match: string;
  username: string; fromDomain: string; codecs: string; enabled: boolean; outbound: boolean;
}

/** The values of one trunk's fields, with the choices of its selects. */
function fields(prefix: string, v: FieldValues, hasPassword: boolean) {
  return {
    prefix, ...v, hasPassword,
    kinds: TRUNK_KINDS.map((k) => ({ value: k, labelKey: `trunks.kind.${k}`, selected: k === v.kind })),
    codecChoices: CODEC_CHOICES.map((c) => ({ value: c, selected: c === v.codecs })),
  };
}

const ofTrunk = (t: TrunkWithStatus): FieldValues => ({
  name: t.name, label: t.label, kind: t.kind, host: t.host, port: String(t.port), match: t.match.join(' '),
  username: t.username, fromDomain: t.fromDomain, codecs: t.codecs.join(','), enabled: t.enabled, outbound: t.outbound,
});

const ofForm = (form: TrunksPageExtra['form']): FieldValues => {
  const f = form ?? {};
  return {
  name: f.name ?? '', label: f.label ?? '', kind: f.kind ?? 'ip', host: f.host ?? '', port: f.port ?? '5060', match: f.match ?? '',
  username: f.username ?? '', fromDomain: f.fromDomain ?? '', codecs: f.codecs ?? 'ulaw,alaw',
  // A fresh form starts enabled; a refused one shows what was ticked.
  enabled: form ? f.enabled === 'on' : true, outbound: f.outbound === 'on',
  };
};

export async function trunksPage(app: FastifyInstance, csrfToken: string, extra: TrunksPageExtra): Promise<Record<string, unknown>> {
  const trunks = await app.trunks.listWithStatus();
  const { name, match } = app.config.trunk;
  return {
    titleKey: 'trunks.title',
    trunks: trunks.map((t) => ({
      ...t, kindKey: `trunks.kind.${t.kind}`, hostPort: `${t.host}:${t.port}`, matchText: t.match.join(' '), codecText: t.codecs.join(', '),
      registered: t.registration === 'Registered', fields: fields(`t${t.id}`, ofTrunk(t), t.hasPassword),
    })),
    configTrunk: { name, match: match.join(' '), outbound: !trunks.some((t) => t.outbound && t.enabled) },
    newFields: fields('new', ofForm(extra.form), false),
    csrfToken,
    problem: extra.problem,
    saved: extra.saved,
  };
}
