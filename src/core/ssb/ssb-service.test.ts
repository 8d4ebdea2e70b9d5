import { describe, expect, it } from "vitest";
import { VirtualClock } from "../clock.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import { SsbError } from "./ssb-errors.js";
import type { SsbPerson } from "./ssb-people.js";
import { createSsbService } from "./ssb-service.js";

const role = (id: string) => ({
  roleProfileId: id,
  orgPersonId: "1",
  odsCode: "X26",
  orgName: "ORG",
  jobRole: '"A":"B":"C"',
  jobRoleCode: "S:G:R",
  businessFunctionCodes: [],
  areaOfWorkCodes: [],
});
const people = new Map<string, SsbPerson>([
  ["1", { uid: "1", cn: "ONE A", status: "1", nhsOcsPrCode: undefined, roles: [role("r1"), role("r2")] }],
]);

function service(idleMinutes = 600) {
  const store = openSqliteStore(":memory:");
  const clock = new VirtualClock(new Date("2025-01-01T00:00:00Z"));
  const ssb = createSsbService({
    sessions: store.ssbSessions,
    smartcard: () => undefined,
    people: () => people,
    clock,
    idleMinutes,
  });
  return { ssb, clock, store };
}

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof SsbError ? error.code : "other";
  }
  return undefined;
};

describe("SSB sessions", () => {
  it("ends a session left idle for sso_session_time, and a used one keeps going", () => {
    const { ssb, clock } = service(10);
    const { challenge, signature } = ssb.activate("s1");
    const { ticket } = ssb.validate({
      challenge,
      signature,
      logSessionId: "s1",
      uid: "1",
      deviceId: "d",
      clientIp: "ip",
    });
    clock.advance(9 * 60_000);
    expect(ssb.use(ticket).secondsLeft).toBe(600);
    clock.advance(9 * 60_000);
    expect(ssb.inspect(ticket).secondsIdle).toBe(540);
    clock.advance(60_000);
    expect(codeOf(() => ssb.use(ticket))).toBe("SSB_TOKEN_INVALID");
  });

  it("stores only a hash of the ticket", () => {
    const { ssb } = service();
    const { challenge, signature } = ssb.activate("s1");
    const signOn = ssb.validate({
      challenge,
      signature,
      logSessionId: "s1",
      uid: "1",
      deviceId: "d",
      clientIp: "ip",
    });
    expect(signOn.session.ticketHash).not.toContain(signOn.ticket);
    expect(signOn.session.ticketHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a challenge replayed under another log_session_id and a role not held", () => {
    const { ssb } = service();
    const { challenge, signature } = ssb.activate("s1");
    expect(
      codeOf(() =>
        ssb.validate({ challenge, signature, logSessionId: "s2", uid: "1", deviceId: "", clientIp: "" }),
      ),
    ).toBe("SSB_VALIDATION_FAILED");
    const { ticket } = ssb.insertCard({ uid: "1" }, "ip");
    expect(codeOf(() => ssb.selectRole(ticket, "r9", "0"))).toBe("SSB_ROLE_NOT_HELD");
    expect(ssb.selectRole(ticket, "r2", "1").role?.roleProfileId).toBe("r2");
    expect(ssb.logout(ticket)).toBe(true);
    expect(ssb.logout(ticket)).toBe(false);
  });
});
