// A carrier's registrar as sipp steps (from sipp-xml pieces), for the trunks that register:
// it challenges Asterisk's REGISTER, accepts the answer, and later takes the un-REGISTER.
import { reply } from './sipp-xml.js';

export interface RegistrarAccount {
  username: string;
  realm?: string;
}

/**
 * REGISTER, 401 with a digest challenge, REGISTER with the answer (its Authorization must name
 * the account), 200 with the contact registered. The accepted REGISTER's Contact is kept:
 * `[$contact]` is the whole URI Asterisk asked to be called at (sip:user@host:port;line=...),
 * `[$contactuser]` its user, `[$contacthost]` its host:port and `[$line]` its ;line=... parameter.
 */
export function registrarSteps(o: RegistrarAccount & { firstTimeoutMs: number }): string {
  return [
    `<recv request="REGISTER" timeout="${o.firstTimeoutMs}"/>`,
    reply('401 Unauthorized', { toTag: 'reg', headers: [`WWW-Authenticate: Digest realm="${o.realm ?? 'carrier.test'}", nonce="[pid]n[call_number]", algorithm=MD5`] }),
    `<recv request="REGISTER" timeout="30000">
  <action>
    <ereg regexp="Digest.*username=.${o.username}." search_in="hdr" header="Authorization:" check_it="true" assign_to="auth"/>
    <ereg regexp="sip:([^@>;]*)@([^>;]*)(;line=[^>;]*)" search_in="hdr" header="Contact:" check_it="true" assign_to="contact,contactuser,contacthost,line"/>
  </action>
</recv>`,
    '<Reference variables="auth,contact,contactuser,contacthost,line"/>',
    reply('200 OK', { toTag: 'reg', headers: ['[last_Contact:];expires=3600', 'Expires: 3600'] }),
  ].join('\n');
}

/** The un-REGISTER (Expires: 0) Asterisk sends when the trunk goes, answered 200; none in time: on to `orGoTo`. */
export const awaitUnregister = (timeoutMs: number, orGoTo: string) =>
  `<recv request="REGISTER" timeout="${timeoutMs}" ontimeout="${orGoTo}"/>\n${reply('200 OK', { toTag: 'reg' })}`;
