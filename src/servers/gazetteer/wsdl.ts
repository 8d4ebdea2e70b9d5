/**
 * A minimal WSDL 1.1 for the address finder (gazetteer.md G1): one document/literal operation,
 * GetAddressList, with `soapAction=""`. The real WSDL is not public; this one describes what the
 * simulator accepts and returns, so that SOAP tool-kits can generate a client.
 */
import { naspNamespace } from "./soap-request.js";

const addressFields = (names: readonly string[], minOccurs: "0" | "1"): string =>
  names.map((n) => `<xs:element name="${n}" type="xs:string" minOccurs="${minOccurs}"/>`).join("");

export function buildWsdl(endpointUrl: string): string {
  const url = endpointUrl.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return `<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions name="AddressFinder" targetNamespace="${naspNamespace}"
  xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:nasp="${naspNamespace}">
  <wsdl:documentation>spine-sim: a reconstruction of the Spine address finder (gazetteer) service; not the official WSDL.</wsdl:documentation>
  <wsdl:types>
    <xs:schema targetNamespace="${naspNamespace}" elementFormDefault="qualified">
      <xs:complexType name="messageHeader"><xs:sequence>
        <xs:element name="messageId" type="xs:string"/>
        <xs:element name="errorList" minOccurs="0"><xs:complexType><xs:sequence>
          <xs:element name="error" maxOccurs="unbounded"><xs:complexType><xs:sequence>
            <xs:element name="codeContext" type="xs:string"/><xs:element name="errorCode" type="xs:string"/>
            <xs:element name="severity" type="xs:string"/><xs:element name="location" type="xs:string" minOccurs="0"/>
            <xs:element name="description" type="xs:string"/>
          </xs:sequence></xs:complexType></xs:element>
        </xs:sequence></xs:complexType></xs:element>
        <xs:element name="securityPackage" type="xs:string" nillable="true"/>
      </xs:sequence></xs:complexType>
      <xs:element name="getAddressListRequest"><xs:complexType><xs:sequence>
        <xs:element name="messageHeader" type="nasp:messageHeader"/>
        <xs:element name="postalAddress"><xs:complexType><xs:sequence>
          ${addressFields(["address1", "address2", "address3", "town", "county"], "0")}
          <xs:choice minOccurs="0"><xs:element name="postcode" type="xs:string"/><xs:element name="postCode" type="xs:string"/></xs:choice>
          ${addressFields(["country"], "0")}
        </xs:sequence></xs:complexType></xs:element>
        <xs:element name="maxno" type="xs:int" minOccurs="0"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="getAddressListResponse"><xs:complexType><xs:sequence>
        <xs:element name="messageHeader" type="nasp:messageHeader"/>
        <xs:element name="addressList" minOccurs="0"><xs:complexType><xs:sequence>
          <xs:element name="postalAddress" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:sequence>
            ${addressFields(["address1", "address2", "address3", "town", "county", "postCode", "country"], "1")}
            <xs:element name="addressKey" type="xs:long"/>
          </xs:sequence></xs:complexType></xs:element>
        </xs:sequence></xs:complexType></xs:element>
        <xs:element name="totalmatches" type="xs:int" minOccurs="0"/>
      </xs:sequence></xs:complexType></xs:element>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="GetAddressListRequest"><wsdl:part name="parameters" element="nasp:getAddressListRequest"/></wsdl:message>
  <wsdl:message name="GetAddressListResponse"><wsdl:part name="parameters" element="nasp:getAddressListResponse"/></wsdl:message>
  <wsdl:portType name="AddressFinderPortType">
    <wsdl:operation name="GetAddressList">
      <wsdl:input message="nasp:GetAddressListRequest"/>
      <wsdl:output message="nasp:GetAddressListResponse"/>
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="AddressFinderBinding" type="nasp:AddressFinderPortType">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="GetAddressList">
      <soap:operation soapAction="" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="AddressFinder">
    <wsdl:port name="AddressFinderPort" binding="nasp:AddressFinderBinding">
      <soap:address location="${url}"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}
