/**
 * A raw LDAP client for the bad-input tests: it sends exactly the bytes a test builds (well-formed
 * or not) and reads back every message the server sends, including the Notice of Disconnection
 * that ordinary clients hide.
 */
import { connect, type Socket } from "node:net";
import { onTestFinished } from "vitest";
import {
  BerReader,
  boolean,
  integer,
  octetString,
  readHeader,
  tags,
  tlv,
} from "../../src/servers/ldap/ber.js";
import { readEnvelope } from "../../src/servers/ldap/ldap-codec.js";

export interface ReceivedMessage {
  readonly messageId: number;
  readonly opTag: number;
  /** For result messages: resultCode, matchedDN and diagnosticMessage. */
  readonly result?: { code: number; matchedDn: string; message: string };
  /** Response controls as OID → raw value. */
  readonly controls: ReadonlyMap<string, Buffer | undefined>;
  readonly frame: Buffer;
}

export class RawLdap {
  private pending = Buffer.alloc(0);
  private readonly received: ReceivedMessage[] = [];
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      for (;;) {
        const header = readHeader(this.pending, 0);
        if (header === undefined || this.pending.length < header.headerLength + header.length) break;
        const frame = this.pending.subarray(0, header.headerLength + header.length);
        this.pending = this.pending.subarray(frame.length);
        this.received.push(decode(frame));
      }
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    socket.on("error", () => undefined);
  }

  static async open(ldapUrl: string): Promise<RawLdap> {
    const url = new URL(ldapUrl);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const raw = new RawLdap(socket);
    onTestFinished(() => {
      socket.destroy();
    });
    return raw;
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  end(): void {
    this.socket.end();
  }

  /** Waits until a message with this ID (0 for unsolicited) arrives, or the connection closes. */
  async until(
    predicate: (m: ReceivedMessage) => boolean,
    timeoutMs = 5000,
  ): Promise<ReceivedMessage | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(predicate);
      if (found !== undefined || this.closed || Date.now() > deadline) return found;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async done(messageId: number): Promise<ReceivedMessage | undefined> {
    return this.until((m) => m.messageId === messageId && m.opTag !== 0x64);
  }

  entries(messageId: number): ReceivedMessage[] {
    return this.received.filter((m) => m.messageId === messageId && m.opTag === 0x64);
  }

  async closedByServer(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

function decode(frame: Buffer): ReceivedMessage {
  const envelope = readEnvelope(frame);
  const controls = new Map(envelope.controls.map((c) => [c.oid, c.value]));
  if (envelope.opTag === 0x64)
    return { messageId: envelope.messageId, opTag: envelope.opTag, controls, frame };
  const code = envelope.op.readInteger(tags.enumerated);
  const matchedDn = envelope.op.readString();
  const message = envelope.op.readString();
  return {
    messageId: envelope.messageId,
    opTag: envelope.opTag,
    result: { code, matchedDn, message },
    controls,
    frame,
  };
}

// ---- request builders ----

export type RawFilter = Buffer;

export const filters = {
  equality: (attribute: string, value: string): RawFilter =>
    tlv(0xa3, octetString(attribute), octetString(value)),
  present: (attribute: string): RawFilter => octetString(attribute, 0x87),
  and: (...parts: RawFilter[]): RawFilter => tlv(0xa0, ...parts),
  or: (...parts: RawFilter[]): RawFilter => tlv(0xa1, ...parts),
  not: (part: RawFilter): RawFilter => tlv(0xa2, part),
};

export interface RawSearch {
  readonly base: string;
  readonly scope?: 0 | 1 | 2;
  readonly filter: RawFilter;
  readonly attributes?: readonly string[];
  readonly sizeLimit?: number;
  readonly controls?: readonly Buffer[];
}

export function searchRequest(messageId: number, search: RawSearch): Buffer {
  const op = tlv(
    0x63,
    octetString(search.base),
    integer(search.scope ?? 2, tags.enumerated),
    integer(0, tags.enumerated),
    integer(search.sizeLimit ?? 0),
    integer(0),
    boolean(false),
    search.filter,
    tlv(tags.sequence, ...(search.attributes ?? []).map((a) => octetString(a))),
  );
  return message(messageId, op, search.controls);
}

export function message(messageId: number, op: Buffer, controls: readonly Buffer[] = []): Buffer {
  return controls.length === 0
    ? tlv(tags.sequence, integer(messageId), op)
    : tlv(tags.sequence, integer(messageId), op, tlv(0xa0, ...controls));
}

export function pagedControl(size: number, cookie: Buffer): Buffer {
  return tlv(
    tags.sequence,
    octetString("1.2.840.113556.1.4.319"),
    octetString(tlv(tags.sequence, integer(size), octetString(cookie))),
  );
}

/** The cookie of a paged results response control. */
export function pagedCookie(done: ReceivedMessage | undefined): Buffer {
  const value = done?.controls.get("1.2.840.113556.1.4.319");
  if (value === undefined) return Buffer.alloc(0);
  const seq = new BerReader(value).readConstructed(tags.sequence);
  seq.readInteger();
  return seq.readBytes();
}
