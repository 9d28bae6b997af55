import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { cataloguedCodes, cataloguedRowProblems, TIMES_IN_THE_API } from '@vouchers/common';
import { documentErrors } from './error-docs';
import { RawRoutes } from './raw-routes';
import type { AppName } from './platform.module';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** An operation that names no security needs no token: said so (`security: []`), so a client need not guess. */
function markOpenOperations(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation && !operation.security) operation.security = [];
    }
  }
}

/** An app's /docs: its Nest routes and raw routes, every operation's answers and error codes. */
export function apiDocument(app: INestApplication, name: AppName): OpenAPIObject {
  const rawRoutes = app.get(RawRoutes);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Ningbo vouchers: ${name}`)
      .setDescription(`The ${name} API of the city consumption-voucher platform. Money is integer fen. ${TIMES_IN_THE_API}`)
      .setVersion('1')
      .addServer('/', `The ${name} app itself`)
      .addBearerAuth()
      .build(),
    { extraModels: rawRoutes.models() },
  );
  // package.json's "UNLICENSED": no rights granted; the URL says what that word means.
  document.info.license = { name: 'UNLICENSED', url: 'https://docs.npmjs.com/cli/configuring-npm/package-json#license' };
  rawRoutes.document(document);
  markOpenOperations(document);
  return documentErrors(document, cataloguedCodes(), cataloguedRowProblems());
}
