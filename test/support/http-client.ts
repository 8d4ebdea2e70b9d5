/** A real HTTPS client (undici) that trusts only our CA and optionally presents a client certificate. */
import { readFileSync } from "node:fs";
import { Agent, request } from "undici";

export interface ClientTls {
  readonly caFile: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly servername?: string;
}

export function httpsAgent(tls: ClientTls): Agent {
  return new Agent({
    connect: {
      ca: readFileSync(tls.caFile),
      ...(tls.certFile === undefined ? {} : { cert: readFileSync(tls.certFile) }),
      ...(tls.keyFile === undefined ? {} : { key: readFileSync(tls.keyFile) }),
      servername: tls.servername ?? "localhost",
    },
  });
}

export async function getText(
  url: string,
  agent?: Agent,
): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  const response = await request(url, agent === undefined ? {} : { dispatcher: agent });
  return { status: response.statusCode, text: await response.body.text(), headers: response.headers };
}
