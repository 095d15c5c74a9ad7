import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { HumleError } from '../../errors/humle-error.js';
import { httpStatusOf } from '../http-status.js';

/** Every REST error answers `{ code, message, details }`: the error's stable code, for clients to branch on. */
export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'stable error code, e.g. PROJECT_NOT_FOUND, UNAUTHENTICATED, INVALID_REQUEST' }),
    message: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'Error' },
);

export function sendError(reply: FastifyReply, error: HumleError): FastifyReply {
  return reply.code(httpStatusOf(error.code)).type('application/json').send(JSON.stringify(error.toJSON()));
}

export function sendInternalError(reply: FastifyReply): FastifyReply {
  return reply.code(500).type('application/json').send(JSON.stringify({ code: 'INTERNAL', message: 'internal server error', details: {} }));
}
