/**
 * One client connection: cuts the byte stream into LDAPMessages (RFC 4511 §5.1), bounds their
 * size, and hands each complete message on. Whatever arrives — garbage, truncated BER, a message
 * too large, a response type sent by a client — is answered or closed cleanly and reported, and
 * the listener carries on serving everyone else.
 */
import type { Socket } from "node:net";
import { BerError, readHeader, tags } from "./ber.js";
import { encodeNoticeOfDisconnection, readEnvelope, type Envelope } from "./ldap-codec.js";
import { operationNames, resultCodes } from "./ldap-errors.js";
import type { LdapEvent } from "./handlers/reply.js";

/**
 * OpenLDAP's default limit on an incoming message from an anonymous client (sockbuf_max_incoming,
 * 262143 bytes). Large enough for any real filter; anything bigger is refused before it is buffered.
 */
export const maxMessageBytes = 262_143;

/** Stop reading a client's requests while this much of our output waits to be sent. */
const writeHighWaterBytes = 4 * 1024 * 1024;

export interface LdapConnectionOptions {
  readonly socket: Socket;
  /**
   * Answers one message and returns the bytes to send, or undefined to pass the message to ldapjs.
   * A promise (a delayed answer: the SDS fault hook) holds back this connection's later requests
   * until it settles, so answers leave in the order the requests came.
   */
  answer(envelope: Envelope, frame: Buffer): Buffer | Promise<Buffer> | undefined;
  /** Passes one complete message to ldapjs, which parses, routes and answers it. */
  delegate(frame: Buffer, envelope: Envelope): void;
  report(event: LdapEvent): void;
}

export class LdapConnection {
  private pending: Buffer = Buffer.alloc(0);
  private closed = false;
  /** True while a delayed answer is outstanding: no further request is handled or read. */
  private waiting = false;

  constructor(private readonly options: LdapConnectionOptions) {
    options.socket.on("data", (chunk: Buffer) => {
      try {
        this.push(chunk);
      } catch (error) {
        // A bug must cost one connection, never the listener: an exception here would be uncaught.
        this.disconnect(`internal error: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  private push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.handlePending();
  }

  private handlePending(): void {
    // handle() may close the connection or start waiting: checked before every message.
    while (!this.closed && !this.waiting && this.pending.length > 0) {
      let header: ReturnType<typeof readHeader>;
      try {
        header = readHeader(this.pending, 0);
      } catch (error) {
        this.disconnect(`the bytes received are not BER: ${(error as Error).message}`);
        return;
      }
      if (header === undefined) return; // the header itself is still arriving
      if (header.tag !== tags.sequence) {
        this.disconnect(
          `the bytes received are not an LDAP message (first byte 0x${header.tag.toString(16).padStart(2, "0")})`,
        );
        return;
      }
      const total = header.headerLength + header.length;
      if (total > maxMessageBytes) {
        this.disconnect(`a message of ${total} bytes is larger than the ${maxMessageBytes}-byte limit`);
        return;
      }
      if (this.pending.length < total) return; // wait for the rest of the message
      const frame = this.pending.subarray(0, total);
      this.pending = this.pending.subarray(total);
      this.handle(frame);
    }
  }

  private handle(frame: Buffer): void {
    let envelope: Envelope;
    try {
      envelope = readEnvelope(frame);
    } catch (error) {
      if (error instanceof BerError) {
        this.disconnect(`malformed LDAP message: ${error.message}`);
        return;
      }
      throw error;
    }
    if (operationNames[envelope.opTag] === undefined) {
      this.disconnect(`message type 0x${envelope.opTag.toString(16)} is not a request a client may send`);
      return;
    }
    const reply = this.options.answer(envelope, frame);
    if (reply === undefined) this.options.delegate(frame, envelope);
    else if (Buffer.isBuffer(reply)) this.write(reply);
    else this.awaitAnswer(reply);
  }

  /** Sends a delayed answer when it is ready, reading nothing from the client meanwhile. */
  private awaitAnswer(reply: Promise<Buffer>): void {
    const { socket } = this.options;
    this.waiting = true;
    socket.pause();
    void reply
      .then(
        (bytes) => {
          this.write(bytes);
        },
        (error: unknown) => {
          this.disconnect(`internal error: ${error instanceof Error ? error.message : String(error)}`);
        },
      )
      .finally(() => {
        this.waiting = false;
        if (this.closed || socket.destroyed) return;
        if (socket.writableLength <= writeHighWaterBytes) socket.resume();
        try {
          this.handlePending();
        } catch (error) {
          this.disconnect(`internal error: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
  }

  write(bytes: Buffer): void {
    const { socket } = this.options;
    if (this.closed || socket.destroyed) return;
    socket.write(bytes);
    // A client that sends faster than it reads is not read from until it catches up.
    if (socket.writableLength > writeHighWaterBytes && !socket.isPaused()) {
      socket.pause();
      socket.once("drain", () => {
        if (!this.waiting) socket.resume();
      });
    }
  }

  /** RFC 4511 §4.4.1: tell the client why, then close; the stream cannot be resynchronised. */
  private disconnect(reason: string): void {
    this.closed = true;
    this.pending = Buffer.alloc(0);
    this.options.report({ kind: "malformed", summary: `connection closed: ${reason}` });
    const { socket } = this.options;
    if (!socket.destroyed) {
      socket.end(encodeNoticeOfDisconnection(resultCodes.protocolError, reason));
      // A client that never reads must not hold the socket open.
      setTimeout(() => socket.destroy(), 1000).unref();
    }
  }
}
