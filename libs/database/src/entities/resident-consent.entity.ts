import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { timestampColumn } from './columns';

/**
 * A consent a resident gave, as the platform can show it later: which (kind), to which version of
 * the privacy notice, and when. Written in the transaction of what it allows: `privacy_notice`
 * with each sign-in (the notice agreed to on the sign-in page), `sensitive_real_name` with the
 * real-name verification (the name and ID number, sensitive information, handled with a consent
 * of its own). The unique key keeps the first time of each kind and version; a later sign-in under
 * the same version adds nothing. Kept when the account closes: it is what made the handling
 * lawful, and names no one but the account's id. Without a foreign key, as the vouchers name
 * residents: a resident row is never deleted.
 */
@Entity('resident_consents')
@Unique('resident_consents_kind_version_key', ['residentId', 'kind', 'version'])
export class ResidentConsent {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'resident_consents_pkey' })
  id: string;

  @Column({ type: 'bigint' })
  residentId: string;

  /** privacy_notice | sensitive_real_name */
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  /** The privacy notice's version the resident was shown (PRIVACY_NOTICE_VERSION then). */
  @Column({ type: 'varchar', length: 32 })
  version: string;

  @Column(timestampColumn({ default: () => 'now()' }))
  givenAt: Date;
}
