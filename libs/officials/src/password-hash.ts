import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id (the library's default algorithm, algorithm 2) with OWASP's first recommended setting:
 * 19 MiB, two passes, one lane. The PHC string carries its parameters, so raising them later
 * leaves old hashes verifiable.
 */
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** False, never an exception, for a hash that is not one (a null column is the caller's case). */
export async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
