// The bcrypt-pbkdf package ships no types; this covers the one function hipaa-ir uses.
declare module 'bcrypt-pbkdf' {
  const bcryptPbkdf: {
    pbkdf(
      pass: Uint8Array,
      passlen: number,
      salt: Uint8Array,
      saltlen: number,
      key: Uint8Array,
      keylen: number,
      rounds: number,
    ): number
  }
  export default bcryptPbkdf
}
