/** A small GetAddressList client for the tests: builds requests as the reference shows them, posts
 * them with undici (trusting only our CA) and reads the responses independently of the server code. */
import { XMLParser } from "fast-xml-parser";
import { request, type Agent } from "undici";

export interface RequestFields {
  readonly address1?: string;
  readonly address2?: string;
  readonly address3?: string;
  readonly town?: string;
  readonly county?: string;
  readonly postcode?: string;
  readonly postCode?: string;
  readonly country?: string;
}

export interface RequestOptions {
  readonly maxno?: string | number;
  readonly messageId?: string;
  /** Leave out the securityPackage element (GAZ-005). */
  readonly omitSecurityPackage?: boolean;
}

const escape = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function addressListRequest(fields: RequestFields, options: RequestOptions = {}): string {
  const address = Object.entries(fields)
    .map(([name, value]) =>
      value === "" ? `<nasp:${name}/>` : `<nasp:${name}>${escape(String(value))}</nasp:${name}>`,
    )
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
  <SOAP-ENV:Header/>
  <SOAP-ENV:Body>
    <nasp:getAddressListRequest xmlns:nasp="http://national.carerecords.nhs.uk/schema/">
      <nasp:messageHeader>
        <nasp:messageId>${options.messageId ?? "6e6bf479f2775defa378beea704051a4"}</nasp:messageId>
        ${options.omitSecurityPackage === true ? "" : "<nasp:securityPackage/>"}
      </nasp:messageHeader>
      <nasp:postalAddress>${address}</nasp:postalAddress>
      ${options.maxno === undefined ? "" : `<nasp:maxno>${options.maxno}</nasp:maxno>`}
    </nasp:getAddressListRequest>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>`;
}

export interface SoapReply {
  readonly status: number;
  readonly text: string;
  readonly contentType: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

export async function post(
  url: string,
  body: string | Buffer,
  agent: Agent,
  headers: Record<string, string> = { "content-type": "text/xml; charset=UTF-8", soapaction: '""' },
): Promise<SoapReply> {
  const response = await request(url, { method: "POST", body, headers, dispatcher: agent });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    text,
    contentType: String(response.headers["content-type"] ?? ""),
    headers: response.headers,
  };
}

export interface ReturnedAddress {
  readonly address1: string;
  readonly address2: string;
  readonly address3: string;
  readonly town: string;
  readonly county: string;
  readonly postCode: string;
  readonly country: string;
  readonly addressKey: string;
}

export interface ReadResponse {
  readonly messageId: string;
  readonly addresses: readonly ReturnedAddress[];
  readonly hasAddressList: boolean;
  readonly totalmatches: number | undefined;
  readonly errors: readonly {
    code: string;
    severity: string;
    description: string;
    codeContext: string;
    location: string | undefined;
  }[];
}

const parser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => ["postalAddress", "error"].includes(name),
});
const text = (value: unknown): string => (typeof value === "string" ? value : "");

export function readResponse(xml: string): ReadResponse {
  type Node = Record<string, unknown>;
  const doc = parser.parse(xml) as Node;
  const body = (doc.Envelope as Node | undefined)?.Body as Node | undefined;
  const response = body?.getAddressListResponse as Node | undefined;
  if (response === undefined) throw new Error(`no getAddressListResponse in ${xml}`);
  const header = response.messageHeader as Node;
  const list = response.addressList as Node | "" | undefined;
  const addresses = ((typeof list === "object" ? list.postalAddress : undefined) ?? []) as Node[];
  const errorList = header.errorList as Node | undefined;
  const errors = ((errorList?.error ?? []) as Node[]).map((e) => ({
    code: text(e.errorCode),
    severity: text(e.severity),
    description: text(e.description),
    codeContext: text(e.codeContext),
    location: e.location === undefined ? undefined : text(e.location),
  }));
  return {
    messageId: text(header.messageId),
    hasAddressList: list !== undefined,
    addresses: addresses.map((a) => ({
      address1: text(a.address1),
      address2: text(a.address2),
      address3: text(a.address3),
      town: text(a.town),
      county: text(a.county),
      postCode: text(a.postCode),
      country: text(a.country),
      addressKey: text(a.addressKey),
    })),
    totalmatches: response.totalmatches === undefined ? undefined : Number(response.totalmatches),
    errors,
  };
}
