// asterisk-manager ships no types; ami-connection.ts describes the parts it uses.
declare module 'asterisk-manager' {
  const Manager: unknown;
  export default Manager;
}
