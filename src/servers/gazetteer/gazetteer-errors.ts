/**
 * How the address finder fails, as data, and the one mapper per wire shape: transport problems
 * become a SOAP Fault with a TMS code (HTTP 500, gazetteer.md G3; errors.md §2), everything else a
 * getAddressListResponse whose messageHeader carries a gazetteer errorList (HTTP 200, errors.md §6).
 */
import { gazetteerCodes, type GazetteerCode } from "../../core/gazetteer/codes.js";
import { buildSoapFault, soapFaultContentType, type TmsError } from "../http/soap-fault.js";
import { buildErrorResponse } from "./soap-response.js";

/** A request refused before it could be read as GetAddressList. */
export interface TransportFailure {
  readonly kind: "fault";
  readonly error: TmsError;
  /** What was wrong, for the log and the journal. */
  readonly reason: string;
}

/** An application answer in the errorList. */
export interface GazetteerFailure {
  readonly kind: "gazetteer";
  readonly code: GazetteerCode;
  readonly location?: string | undefined;
  readonly reason: string;
}

export const transportFailures = {
  /** TMS 201 (HTTP-008, G3): not XML, a refused DTD, or no SOAP 1.1 Envelope. */
  notWellFormed: (location: string, reason: string): TransportFailure => ({
    kind: "fault",
    error: { code: "201", location, description: "The message is not well formed" },
    reason,
  }),
  /** TMS 9001 (HTTP-009 applied here too): the body is larger than maxBodyBytes. */
  tooLarge: (limit: number): TransportFailure => ({
    kind: "fault",
    error: { code: "9001", location: "HTTP Body", description: "Message size exceeds the permitted maximum" },
    reason: `the request body is larger than ${limit} bytes (setting maxBodyBytes)`,
  }),
};

export function gazetteerFailure(code: GazetteerCode, reason: string, location?: string): GazetteerFailure {
  return { kind: "gazetteer", code, location, reason };
}

export interface WireReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export function transportReply(failure: TransportFailure): WireReply {
  return { status: 500, contentType: soapFaultContentType, body: buildSoapFault([failure.error]) };
}

export function gazetteerReply(failure: GazetteerFailure, messageId: string): WireReply {
  return {
    status: 200,
    contentType: "text/xml",
    body: buildErrorResponse(messageId, [{ code: failure.code, location: failure.location }]),
  };
}

export function describeFailure(failure: TransportFailure | GazetteerFailure): string {
  return failure.kind === "fault"
    ? `TMS ${failure.error.code} ${failure.error.description}: ${failure.reason}`
    : `${failure.code} ${gazetteerCodes[failure.code].description} (${failure.reason})`;
}
