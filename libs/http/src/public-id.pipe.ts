import { ArgumentMetadata, Injectable, ParseUUIDPipe, PipeTransform } from '@nestjs/common';
import { publicIdAsSent } from '@vouchers/common';

/**
 * A public id from the path: a UUID in any case, answered 400 otherwise, and handed on in
 * lower case. Postgres matches a uuid whatever its case, but Redis keys, caches and audit
 * records compare text: an upper-case id would name a key nobody else uses.
 */
@Injectable()
export class PublicIdPipe extends ParseUUIDPipe {
  override async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    const id = await super.transform(value, metadata);
    return typeof id === 'string' ? publicIdAsSent(id) : value;
  }
}

/**
 * A public id from the path, handed on in lower case like PublicIdPipe's, for a route that
 * answers an id that is no UUID its own way (404 as for any id it does not know).
 */
@Injectable()
export class IdCasePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return publicIdAsSent(value);
  }
}
