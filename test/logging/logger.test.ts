import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logging/logger.js";

function sink(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join("")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe("logger", () => {
  it("writes JSON with a child per component and redacts secrets", () => {
    const { stream, lines } = sink();
    const logger = createLogger({ logLevel: "info", logFormat: "json" }, stream);
    logger
      .child({ component: "ssb" })
      .info({ passcode: "1234", card: { passcode: "9876" }, controlToken: "t".repeat(20) }, "card inserted");
    const [line] = lines();
    expect(line).toMatchObject({
      name: "spine-sim",
      component: "ssb",
      msg: "card inserted",
      passcode: "[redacted]",
      controlToken: "[redacted]",
    });
    expect(line?.card).toEqual({ passcode: "[redacted]" });
    expect(JSON.stringify(line)).not.toContain("1234");
  });

  it("honours the level", () => {
    const { stream, lines } = sink();
    const logger = createLogger({ logLevel: "warn", logFormat: "json" }, stream);
    logger.info("hidden");
    logger.warn("shown");
    expect(lines().map((l) => l.msg)).toEqual(["shown"]);
  });
});
