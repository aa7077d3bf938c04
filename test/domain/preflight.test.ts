import { ConflictError, NotFoundError } from '../../domain/errors';
import { describeProblems, refusalFor, type PreflightProblem } from '../../domain/preflight';
import { toHttpError } from '../../api/errors';

const team: PreflightProblem = { path: 'agent.team', code: 'missing', message: 'the CTI has no team "상담3팀"' };
const ip: PreflightProblem = { path: 'phone.ip', code: 'taken', message: 'IP 10.0.0.1 is already the phone of DN 4101 on the PBX' };

test('no problem, no refusal', () => {
  expect(refusalFor([])).toBeUndefined();
});

test('only missing things: 404 NOT_FOUND naming each field in details.problems', () => {
  const refusal = refusalFor([team]);
  expect(refusal).toBeInstanceOf(NotFoundError);
  expect(toHttpError(refusal)).toMatchObject({ status: 404, code: 'NOT_FOUND', message: describeProblems([team]), details: { problems: [team] } });
});

test('anything taken: 409 CONFLICT, with the missing ones listed too', () => {
  const refusal = refusalFor([team, ip]);
  expect(refusal).toBeInstanceOf(ConflictError);
  expect(toHttpError(refusal)).toMatchObject({ status: 409, code: 'CONFLICT', details: { problems: [team, ip] } });
  expect(refusal!.message).toBe('agent.team: the CTI has no team "상담3팀"; phone.ip: IP 10.0.0.1 is already the phone of DN 4101 on the PBX');
});

test('a plain conflict or not-found keeps its old shape', () => {
  expect(toHttpError(new ConflictError('x'))).toMatchObject({ status: 409, details: undefined });
  expect(toHttpError(new NotFoundError('line', 'LN-1'))).toMatchObject({ status: 404, details: { resource: 'line', id: 'LN-1' } });
});
