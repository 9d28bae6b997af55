/**
 * A public value as the draw takes it: Unicode NFKC (a full-width ３４１２．５７ or Ｓ becomes
 * ASCII, as an IME or a copy from a web page may give it), every run of white space one space,
 * none at either end. Two officials who read the same figure at the announced source then agree
 * however they typed it; the normalised text is stored, published and hashed into the draw
 * keys, so the verify script and anyone recomputing take it exactly as published.
 * Here, in libs/common, for the issuance app and the console alike: the console's confirmation
 * names the value as the draw will take it.
 * NFKC can lengthen a text (a ligature or ㍻ becomes several letters): the caller checks the
 * result's length, not only what was sent.
 */
export function normalisePublicValue(value: string): string {
  return value.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

/** The most a public value may hold once normalised (lottery_draws.public_value). */
export const PUBLIC_VALUE_MAX = 200;
