/**
 * Reads the HL7 V3 transmission wrapper of a payload (validation-rules.md §8–§10): tolerant, so
 * that validators can say precisely what is missing and responders can work with what is there.
 * Nothing here throws for missing fields; absent values are undefined.
 */
import { NS, attributeValue, parseXml, textContent, type XmlElement } from "./xml.js";

/** Root of SDS accredited-system ids (ASIDs) in HL7 device ids (mhs-wire.md §14). */
export const ASID_ROOT = "1.2.826.0.1285.0.2.0.107";
/** Root of NHS numbers in HL7 ids (mhs-wire.md §14). */
export const NHS_NUMBER_ROOT = "2.16.840.1.113883.2.1.4.1";
/** Root of HL7 interaction ids. */
export const INTERACTION_ID_ROOT = "2.16.840.1.113883.2.1.3.2.4.12";
const SDS_USER_ROOT = "1.2.826.0.1285.0.2.0.65";
const SDS_ROLE_PROFILE_ROOT = "1.2.826.0.1285.0.2.0.67";

export interface Hl7AcknowledgementDetailRead {
  readonly typeCode?: string;
  readonly code?: string;
  readonly codeSystem?: string;
  readonly displayName?: string;
}

export interface Hl7AcknowledgementRead {
  readonly typeCode?: string;
  /** `messageRef/id/@root`: the HL7 id being acknowledged. */
  readonly messageRef?: string;
  readonly details: readonly Hl7AcknowledgementDetailRead[];
}

export interface Hl7Wrapper {
  /** The interaction element, after unwrapping at most one service wrapper element. */
  readonly element: XmlElement;
  /** Local name of the interaction element, e.g. `QUPA_IN040000UK32`. */
  readonly elementName: string;
  readonly interactionId?: string;
  readonly interactionIdRoot?: string;
  /** `id/@root`: the HL7 message id (an upper-case UUID from conforming senders). */
  readonly messageId?: string;
  readonly messageIdExtension?: string;
  readonly creationTime?: string;
  readonly versionCode?: string;
  readonly processingCode?: string;
  readonly processingModeCode?: string;
  readonly acceptAckCode?: string;
  /** ASID of `communicationFunctionRcv/device/id[@root=ASID_ROOT]`. */
  readonly receiverAsid?: string;
  /** ASID of `communicationFunctionSnd/device/id[@root=ASID_ROOT]`. */
  readonly senderAsid?: string;
  readonly controlActEvent?: XmlElement;
  /** `ControlActEvent/author1/AgentSystemSDS/agentSystemSDS/id/@extension` (root ASID_ROOT). */
  readonly authorAsid?: string;
  /** `ControlActEvent/author/AgentPersonSDS/agentPersonSDS/id/@extension` (SDS user id). */
  readonly authorUserId?: string;
  /** `ControlActEvent/author/AgentPersonSDS/id/@extension` (SDS role profile id). */
  readonly authorRoleProfileId?: string;
  /** The first NHS number (root NHS_NUMBER_ROOT) under ControlActEvent: query `value` or subject `id`. */
  readonly nhsNumber?: string;
  /** Present on MCCI and other acknowledgement messages. */
  readonly acknowledgement?: Hl7AcknowledgementRead;
}

/**
 * Reads the wrapper fields of an HL7 payload: its XML text (parsed safely; throws a WireError
 * SOAP-001 naming `location` when not well-formed) or an element already parsed, such as the
 * first child of a /sync-service SOAP Body.
 */
export function readHl7Wrapper(payload: string | XmlElement, location = "HL7 payload"): Hl7Wrapper {
  const outer = typeof payload === "string" ? parseXml(payload, { location }) : payload;
  const element = unwrap(outer);
  const interactionId = hl7Child(element, "interactionId");
  const id = hl7Child(element, "id");
  const controlActEvent = hl7Child(element, "ControlActEvent");
  const acknowledgement = hl7Child(element, "acknowledgement");
  const author = controlActEvent && hl7Child(controlActEvent, "author");
  const personRole = author && hl7Child(author, "AgentPersonSDS");
  const fields = {
    element,
    elementName: element.localName,
    interactionId: interactionId && attributeValue(interactionId, "", "extension"),
    interactionIdRoot: interactionId && attributeValue(interactionId, "", "root"),
    messageId: id && attributeValue(id, "", "root"),
    messageIdExtension: id && attributeValue(id, "", "extension"),
    creationTime: valueOf(element, "creationTime", "value"),
    versionCode: valueOf(element, "versionCode", "code"),
    processingCode: valueOf(element, "processingCode", "code"),
    processingModeCode: valueOf(element, "processingModeCode", "code"),
    acceptAckCode: valueOf(element, "acceptAckCode", "code"),
    receiverAsid: deviceAsid(element, "communicationFunctionRcv"),
    senderAsid: deviceAsid(element, "communicationFunctionSnd"),
    controlActEvent,
    authorAsid: extensionAt(controlActEvent, ["author1", "AgentSystemSDS", "agentSystemSDS"], ASID_ROOT),
    authorUserId: extensionAt(personRole, ["agentPersonSDS"], SDS_USER_ROOT),
    authorRoleProfileId: extensionAt(personRole, [], SDS_ROLE_PROFILE_ROOT),
    nhsNumber: controlActEvent && findNhsNumber(controlActEvent),
    acknowledgement: acknowledgement && readAcknowledgement(acknowledgement),
  };
  return compact(fields) as unknown as Hl7Wrapper;
}

/**
 * The interaction element: the element itself when it has an `interactionId`, else its only
 * child element when that one does (service wrappers such as `retrievalQueryResponse`).
 */
export function unwrap(element: XmlElement): XmlElement {
  if (hl7Child(element, "interactionId") !== undefined) return element;
  const [only, ...others] = element.children;
  if (only !== undefined && others.length === 0 && hl7Child(only, "interactionId") !== undefined) return only;
  return element;
}

// ---------------------------------------------------------------------------------------------

/** HL7 children by local name, in the HL7 namespace or (tolerated) in none. */
function hl7Child(parent: XmlElement, localName: string): XmlElement | undefined {
  return parent.children.find(
    (c) => c.localName === localName && (c.namespace === NS.hl7 || c.namespace === ""),
  );
}

function hl7Children(parent: XmlElement, localName: string): XmlElement[] {
  return parent.children.filter(
    (c) => c.localName === localName && (c.namespace === NS.hl7 || c.namespace === ""),
  );
}

function valueOf(parent: XmlElement, child: string, attribute: string): string | undefined {
  const element = hl7Child(parent, child);
  return element && attributeValue(element, "", attribute);
}

function deviceAsid(element: XmlElement, name: string): string | undefined {
  return extensionAt(element, [name, "device"], ASID_ROOT);
}

/** Follows `path` from `start`, then returns the extension of the child `id` with this root. */
function extensionAt(
  start: XmlElement | undefined,
  path: readonly string[],
  root: string,
): string | undefined {
  let element = start;
  for (const step of path) element = element && hl7Child(element, step);
  if (element === undefined) return undefined;
  const id = hl7Children(element, "id").find((candidate) => attributeValue(candidate, "", "root") === root);
  return id && attributeValue(id, "", "extension");
}

function findNhsNumber(element: XmlElement): string | undefined {
  if (attributeValue(element, "", "root") === NHS_NUMBER_ROOT) {
    const extension = attributeValue(element, "", "extension")?.trim();
    if (extension !== undefined && extension !== "") return extension;
  }
  for (const child of element.children) {
    const found = findNhsNumber(child);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Drops absent values, so results honour exactOptionalPropertyTypes. */
function compact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function readAcknowledgement(element: XmlElement): Hl7AcknowledgementRead {
  const messageRef = hl7Child(element, "messageRef");
  const refId = messageRef && hl7Child(messageRef, "id");
  const typeCode = attributeValue(element, "", "typeCode");
  const ref = refId && attributeValue(refId, "", "root");
  return {
    ...(typeCode === undefined ? {} : { typeCode }),
    ...(ref === undefined ? {} : { messageRef: ref }),
    details: hl7Children(element, "acknowledgementDetail").map((detail) => {
      const code = hl7Child(detail, "code");
      return compact({
        typeCode: attributeValue(detail, "", "typeCode"),
        code: code && attributeValue(code, "", "code"),
        codeSystem: code && attributeValue(code, "", "codeSystem"),
        displayName: code && (attributeValue(code, "", "displayName") ?? (textContent(code) || undefined)),
      });
    }),
  };
}
