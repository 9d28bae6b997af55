import { AppError, cataloguedCode, cataloguedRowProblems, CommonErrorCode, errorCatalogue, rowProblemCatalogue } from './errors';

enum TestErrorCode {
  Teapot = 'TEST_TEAPOT',
  Gone = 'TEST_GONE',
}

errorCatalogue<TestErrorCode>('test area', {
  [TestErrorCode.Teapot]: { status: 422, meaning: 'A test refusal' },
  [TestErrorCode.Gone]: { status: 404, meaning: 'Another' },
});

describe('the error catalogue', () => {
  it("gives an AppError its code's status, whoever throws it", () => {
    const error = new AppError(TestErrorCode.Teapot, 'No', { why: 'because' });
    expect([error.code, error.status, error.message, error.details]).toEqual(['TEST_TEAPOT', 422, 'No', { why: 'because' }]);
    expect(new AppError(TestErrorCode.Gone, 'Gone').status).toBe(404);
    expect(new AppError(CommonErrorCode.DatabaseUnavailable, 'Down').status).toBe(503);
    expect(new AppError(CommonErrorCode.InvalidCursor, 'Bad').status).toBe(400);
  });

  it('refuses a code no catalogue holds', () => {
    expect(() => new AppError('NO_SUCH_CODE', 'x')).toThrow('AppError code NO_SUCH_CODE is in no error catalogue');
  });

  it('refuses a code a second area names, so one meaning keeps one name', () => {
    expect(() => errorCatalogue('another area', { TEST_TEAPOT: { status: 409, meaning: 'Same name' } })).toThrow(
      'Error code TEST_TEAPOT is catalogued by both test area and another area',
    );
    expect(() => errorCatalogue('another area', { INVALID_TRANSITION: { status: 409, meaning: 'Again' } })).toThrow('catalogued by both common');
    expect(cataloguedCode('TEST_TEAPOT')).toEqual({ code: 'TEST_TEAPOT', area: 'test area', status: 422, meaning: 'A test refusal' });
  });

  it('lists a status and a meaning for every common code', () => {
    for (const code of Object.values(CommonErrorCode)) {
      expect(cataloguedCode(code)).toEqual({ code, area: 'common', status: expect.any(Number), meaning: expect.stringMatching(/\w/) });
    }
  });

  it("lets two areas list a row problem's code only with one meaning", () => {
    rowProblemCatalogue('test rows', { TEST_ROW_SHORT: 'The row is short' });
    rowProblemCatalogue('other test rows', { TEST_ROW_SHORT: 'The row is short' });
    expect(() => rowProblemCatalogue('third test rows', { TEST_ROW_SHORT: 'Something else' })).toThrow(
      'Row problem TEST_ROW_SHORT means one thing in test rows and another in third test rows',
    );
    expect(cataloguedRowProblems()).toEqual([{ code: 'TEST_ROW_SHORT', area: 'test rows', meaning: 'The row is short' }]);
  });
});
