// dns-packet ships its type and rcode tables as modules without typings of their own.
declare module 'dns-packet/types.js' {
  const types: { toType(name: string): number; toString(type: number): string };
  export default types;
}
declare module 'dns-packet/rcodes.js' {
  const rcodes: { toRcode(name: string): number; toString(rcode: number): string };
  export default rcodes;
}
