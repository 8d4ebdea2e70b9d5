/**
 * Loads the wire fixtures in test/fixtures/messages. A `.msg` file is one HTTP request or
 * response as the messaging layer sees it: a first line `Content-Type: …`, then the body bytes
 * exactly as sent (line ends included).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const fixtureDirectory = fileURLToPath(new URL("../fixtures/messages/", import.meta.url));

export interface MessageFixture {
  readonly contentType: string;
  readonly body: Buffer;
}

export function loadMessage(name: string): MessageFixture {
  return splitMessage(readFileSync(fixtureDirectory + name));
}

export function splitMessage(raw: Buffer): MessageFixture {
  const newline = raw.indexOf(0x0a);
  if (newline === -1) throw new Error("a .msg fixture starts with a Content-Type line");
  const firstLine = raw.toString("utf8", 0, newline).replace(/\r$/, "");
  const match = /^Content-Type:\s*(.*)$/i.exec(firstLine);
  if (match?.[1] === undefined)
    throw new Error(`a .msg fixture starts with "Content-Type:", not "${firstLine}"`);
  return { contentType: match[1], body: raw.subarray(newline + 1) };
}

export function loadText(name: string): string {
  return readFileSync(fixtureDirectory + name, "utf8");
}

/** Reads a golden file; with UPDATE_GOLDEN=1 in the environment, (re)writes it first. */
export function golden(name: string, actual: Buffer | string): Buffer {
  const path = `${fixtureDirectory}golden/${name}`;
  if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(path, actual);
  return readFileSync(path);
}
