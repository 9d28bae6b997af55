/**
 * Error codes shared by every app, and those more than one area answers. Each feature area adds
 * its own enum of codes, with a catalogue (errorCatalogue) that gives each code its one HTTP
 * status and meaning; AppError looks the status up, and the global exception filter turns it
 * into `{ code, message, requestId }` with that status. /docs lists every catalogued code.
 */
export enum CommonErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  MalformedRequest = 'MALFORMED_REQUEST',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  RouteNotFound = 'ROUTE_NOT_FOUND',
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  /** The request's headers are larger than the server reads (node's limit), before any route. */
  HeadersTooLarge = 'HEADERS_TOO_LARGE',
  /** A JSON body nested deeper, or with more keys, than any real client sends (libs/http body-limits). */
  BodyTooComplex = 'BODY_TOO_COMPLEX',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  Conflict = 'CONFLICT',
  RateLimited = 'RATE_LIMITED',
  /** The client took longer than the server's header or request timeout to send its request. */
  RequestTimeout = 'REQUEST_TIMEOUT',
  InvalidCursor = 'INVALID_CURSOR',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  /** Postgres did not answer (connection refused, cut or timed out): 503 with Retry-After, try again. */
  DatabaseUnavailable = 'DATABASE_UNAVAILABLE',
  Internal = 'INTERNAL_ERROR',
  /** A move a campaign, merchant or settlement batch cannot make from its current status. */
  InvalidTransition = 'INVALID_TRANSITION',
  /** Whoever asked for (or last changed) a thing cannot also decide it. */
  FourEyesRequired = 'FOUR_EYES_REQUIRED',
  MerchantNotFound = 'MERCHANT_NOT_FOUND',
  CampaignNotFound = 'CAMPAIGN_NOT_FOUND',
  /** A district official acted on another district. */
  OutsideOfficialDistrict = 'OUTSIDE_OFFICIAL_DISTRICT',
  /** A PATCH that names no field to change (a merchant's own profile, an official's account). */
  NothingToChange = 'NOTHING_TO_CHANGE',
}

/** The statuses an error answer may have. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 408 | 409 | 413 | 415 | 422 | 423 | 429 | 431 | 500 | 503;

export interface ErrorCodeEntry {
  status: ErrorStatus;
  /** What the code tells a client, for /docs. */
  meaning: string;
}

/** One area's codes: every member of its enum, each with its status and meaning. */
export type ErrorCatalogue<C extends string> = Readonly<Record<C, ErrorCodeEntry>>;

export interface CataloguedCode extends ErrorCodeEntry {
  code: string;
  /** The area whose catalogue defines it. */
  area: string;
}

const catalogued = new Map<string, CataloguedCode>();

/**
 * Registers an area's catalogue; AppError finds a code's status here. A code is defined by one
 * area only: a second area naming it is refused when its module loads, so one meaning keeps
 * one name. Typed by the area's enum, so a code left out of its catalogue does not compile.
 */
export function errorCatalogue<C extends string>(area: string, entries: Record<C, ErrorCodeEntry>): ErrorCatalogue<C> {
  for (const [code, entry] of Object.entries<ErrorCodeEntry>(entries)) {
    const known = catalogued.get(code);
    if (known && known.area !== area) throw new Error(`Error code ${code} is catalogued by both ${known.area} and ${area}`);
    catalogued.set(code, { code, area, ...entry });
  }
  return entries;
}

/** Every code catalogued in this process (by the modules it loaded), in code order. */
export function cataloguedCodes(): CataloguedCode[] {
  return [...catalogued.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** A code's entry, or undefined for a code no loaded catalogue holds. */
export function cataloguedCode(code: string): CataloguedCode | undefined {
  return catalogued.get(code);
}

/** A code of one row's (or line's) problem, listed by line inside an answer about a whole file. */
export interface CataloguedRowProblem {
  code: string;
  area: string;
  meaning: string;
}

const rowProblems = new Map<string, CataloguedRowProblem>();

/**
 * Registers the codes of one row's problems in an uploaded file (or one line of a batch): they
 * are not answers of their own but listed inside one, and /docs lists them beside the error
 * codes. A code keeps one meaning: another area may list it only with the same meaning.
 */
export function rowProblemCatalogue<C extends string>(area: string, entries: Record<C, string>): Readonly<Record<C, string>> {
  for (const [code, meaning] of Object.entries<string>(entries)) {
    const known = rowProblems.get(code);
    if (known && known.meaning !== meaning) throw new Error(`Row problem ${code} means one thing in ${known.area} and another in ${area}`);
    if (!known) rowProblems.set(code, { code, area, meaning });
  }
  return entries;
}

/** Every row problem code catalogued in this process, in code order. */
export function cataloguedRowProblems(): CataloguedRowProblem[] {
  return [...rowProblems.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export const COMMON_ERRORS = errorCatalogue<CommonErrorCode>('common', {
  [CommonErrorCode.ValidationFailed]: { status: 400, meaning: 'The request does not fit the route: details.problems lists what is wrong' },
  [CommonErrorCode.MalformedRequest]: { status: 400, meaning: 'The request could not be read (bad JSON, a NUL character)' },
  [CommonErrorCode.Unauthenticated]: { status: 401, meaning: 'A valid access token is required' },
  [CommonErrorCode.Forbidden]: { status: 403, meaning: 'The caller\'s role (or district) does not allow this' },
  [CommonErrorCode.NotFound]: { status: 404, meaning: 'No such thing' },
  [CommonErrorCode.RouteNotFound]: { status: 404, meaning: 'No such route' },
  [CommonErrorCode.MethodNotAllowed]: { status: 405, meaning: 'The route does not take this method' },
  [CommonErrorCode.PayloadTooLarge]: { status: 413, meaning: 'The body is larger than the route takes' },
  [CommonErrorCode.HeadersTooLarge]: { status: 431, meaning: 'The request headers are larger than the server reads' },
  [CommonErrorCode.BodyTooComplex]: { status: 400, meaning: 'The JSON body is nested deeper, or has more keys, than any request needs' },
  [CommonErrorCode.UnsupportedMediaType]: { status: 415, meaning: 'The body is not of the content type the route takes' },
  [CommonErrorCode.Conflict]: { status: 409, meaning: 'The request conflicts with the current state' },
  [CommonErrorCode.RateLimited]: { status: 429, meaning: 'Too many requests; wait details.retryAfterSeconds (Retry-After)' },
  [CommonErrorCode.RequestTimeout]: { status: 408, meaning: 'The request was not received in time' },
  [CommonErrorCode.InvalidCursor]: { status: 400, meaning: 'The cursor is not one this server issued' },
  [CommonErrorCode.ServiceUnavailable]: { status: 503, meaning: 'The service cannot answer just now (Redis, its fast store, did not); try again (Retry-After)' },
  [CommonErrorCode.DatabaseUnavailable]: { status: 503, meaning: 'The database did not answer; send the same request again (Retry-After)' },
  [CommonErrorCode.Internal]: { status: 500, meaning: 'Something failed on the server; quote the requestId' },
  [CommonErrorCode.InvalidTransition]: { status: 409, meaning: 'The thing cannot make this move from its current status (details say which)' },
  [CommonErrorCode.FourEyesRequired]: { status: 403, meaning: 'Whoever asked for or changed this cannot also decide it' },
  [CommonErrorCode.MerchantNotFound]: { status: 404, meaning: 'No such merchant' },
  [CommonErrorCode.CampaignNotFound]: { status: 404, meaning: 'No such campaign (or not one the caller may see)' },
  [CommonErrorCode.OutsideOfficialDistrict]: { status: 403, meaning: 'A district official acted on another district' },
  [CommonErrorCode.NothingToChange]: { status: 400, meaning: 'Name at least one field to change' },
});

/**
 * A refusal with a catalogued code: its HTTP status is the catalogue's, never the throw site's.
 * A code no loaded catalogue holds is a bug, and is thrown as one (a 500).
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    const entry = catalogued.get(code);
    if (!entry) throw new Error(`AppError code ${code} is in no error catalogue`);
    // An AppError is an answer, not a bug: skip the stack trace, which cost the grab's
    // refusals (sold out, already claimed) more than the Lua call that decided them.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'AppError';
    this.code = code;
    this.status = entry.status;
    this.details = details;
  }
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  code: string;
  message: string;
  requestId: string;
  details?: Record<string, unknown>;
}
