/**
 * The three Spine path-to-live environments (reference/environments.md). Paths are identical in all
 * three; only host labels, e-RS identities and maintenance slots differ.
 */
export type EnvironmentName = "int" | "dev" | "dep";

export interface WeeklySlot {
  /** 0 = Sunday … 6 = Saturday, in Europe/London local time. */
  readonly startDay: number;
  readonly startTime: string;
  readonly endDay: number;
  readonly endTime: string;
}

export interface EnvironmentProfile {
  readonly name: EnvironmentName;
  readonly label: string;
  readonly hosts: {
    readonly messaging: string;
    readonly messagingOut: string;
    readonly ldap: string;
    readonly gas: string;
    readonly sbapi: string;
    readonly portal: string;
  };
  readonly spine: {
    readonly odsCode: "YES";
    readonly partyKey: "YES-0000806";
    readonly asid: "928942012545";
  };
  readonly ers: ReadonlyArray<{ readonly name: string; readonly partyKey: string; readonly asid: string }>;
  readonly certificateAuthority: { readonly intermediateCommonName: string };
  readonly maintenance: {
    readonly spineCore: readonly WeeklySlot[];
    readonly spineCis: readonly WeeklySlot[];
  };
}

const spine = { odsCode: "YES", partyKey: "YES-0000806", asid: "928942012545" } as const;
const slot = (startDay: number, endDay: number): WeeklySlot => ({
  startDay,
  startTime: "20:00",
  endDay,
  endTime: "06:00",
});

export const environments: Readonly<Record<EnvironmentName, EnvironmentProfile>> = {
  int: {
    name: "int",
    label: "Integration (INT)",
    hosts: {
      messaging: "msg.int.spine2.ncrs.nhs.uk",
      messagingOut: "msg-out.int.spine2.ncrs.nhs.uk",
      ldap: "ldap.nis1.national.ncrs.nhs.uk",
      gas: "gas.nis1.national.ncrs.nhs.uk",
      sbapi: "sbapi.nis1.national.ncrs.nhs.uk",
      portal: "portal.nis1.national.ncrs.nhs.uk",
    },
    spine,
    ers: [{ name: "Int1", partyKey: "YEO-812583", asid: "176887180519" }],
    certificateAuthority: { intermediateCommonName: "SPINE-SIM TEST ONLY NHS INT Level 1C" },
    maintenance: { spineCore: [slot(1, 2), slot(3, 4)], spineCis: [slot(2, 3)] },
  },
  dev: {
    name: "dev",
    label: "Development (DEV)",
    hosts: {
      messaging: "msg.dev.spine2.ncrs.nhs.uk",
      messagingOut: "msg-out.dev.spine2.ncrs.nhs.uk",
      ldap: "ldap.vn03.national.ncrs.nhs.uk",
      gas: "gas.vn03.national.ncrs.nhs.uk",
      sbapi: "sbapi.vn03.national.ncrs.nhs.uk",
      portal: "portal.vn03.national.ncrs.nhs.uk",
    },
    spine,
    ers: [
      { name: "Dev1", partyKey: "YEU-1808939", asid: "753468248012" },
      { name: "Dev3", partyKey: "YEF-820397", asid: "200000000296" },
    ],
    certificateAuthority: { intermediateCommonName: "SPINE-SIM TEST ONLY NHS DEV Level 1C" },
    maintenance: { spineCore: [slot(2, 3)], spineCis: [slot(1, 2)] },
  },
  dep: {
    name: "dep",
    label: "Deployment (DEP)",
    hosts: {
      messaging: "msg.dep.spine2.ncrs.nhs.uk",
      messagingOut: "msg-out.dep.spine2.ncrs.nhs.uk",
      ldap: "ldap.vn1.national.ncrs.nhs.uk",
      gas: "gas.vn1.national.ncrs.nhs.uk",
      sbapi: "sbapi.vn1.national.ncrs.nhs.uk",
      portal: "portal.vn1.national.ncrs.nhs.uk",
    },
    spine,
    ers: [{ name: "Dep1", partyKey: "YEO-11809150", asid: "606179841014" }],
    certificateAuthority: { intermediateCommonName: "SPINE-SIM TEST ONLY NHS DEP Level 1C" },
    maintenance: { spineCore: [slot(4, 5)], spineCis: [slot(3, 4)] },
  },
};

/** Every hostname a supplier may point at the simulator for this environment (server certificate SANs). */
export function serviceHostnames(env: EnvironmentProfile): string[] {
  const { messaging, ldap, gas, sbapi, portal } = env.hosts;
  return [messaging, ldap, gas, sbapi, portal];
}

export const spineRootCommonName = "SPINE-SIM TEST ONLY NHS PTL Root Authority";
