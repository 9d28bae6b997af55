import { ArgumentMetadata, Injectable, ParseUUIDPipe } from '@nestjs/common';

/**
 * A public id from the path: a UUID in any case, answered 400 otherwise, and handed on in
 * lower case. Postgres matches a uuid whatever its case, but Redis keys, caches and audit
 * records compare text: an upper-case id would name a key nobody else uses.
 */
@Injectable()
export class PublicIdPipe extends ParseUUIDPipe {
  override async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    const id = await super.transform(value, metadata);
    return typeof id === 'string' ? id.toLowerCase() : value;
  }
}
