// What differs between the desk-phone vendors we provision: the file a phone asks for, the
// template that answers it, and how each spells a language and a transport. Formats were
// checked against each vendor's provisioning documentation (see docs/provisioning.md).
import type { PhoneLanguage, Vendor } from './phone-rules.js';

export type Transport = 'udp' | 'tcp' | 'tls';

export interface VendorSpec {
  /** The file name the phone requests for its own MAC (12 lower-case hex digits). */
  fileName: (mac: string) => string;
  /** Template under asterisk/provisioning/. */
  template: string;
  /** XML (values escaped) or key=value text (values on one line). */
  xml: boolean;
  contentType: string;
  language: Record<PhoneLanguage, string>;
  transport: Record<Transport, string>;
  /** BLF keys the template can place; more are left off (and said so in the log). */
  maxBlfKeys: number;
}

export const VENDOR_SPECS: Record<Vendor, VendorSpec> = {
  yealink: {
    fileName: (mac) => `${mac}.cfg`,
    template: 'yealink.cfg.hbs',
    xml: false,
    contentType: 'text/plain; charset=utf-8',
    language: { en: 'English', 'zh-CN': 'Chinese_S' },
    transport: { udp: '0', tcp: '1', tls: '2' },
    maxBlfKeys: 32,
  },
  grandstream: {
    fileName: (mac) => `cfg${mac}.xml`,
    template: 'grandstream.xml.hbs',
    xml: true,
    contentType: 'application/xml; charset=utf-8',
    language: { en: 'en', 'zh-CN': 'zh' },
    transport: { udp: '0', tcp: '1', tls: '2' },
    // Multi-purpose keys 1-7 have fixed P-values (mode P323+i; account, name, value P301+3i..).
    maxBlfKeys: 7,
  },
  fanvil: {
    fileName: (mac) => `${mac}.cfg`,
    template: 'fanvil.cfg.hbs',
    xml: true,
    contentType: 'application/xml; charset=utf-8',
    language: { en: 'en', 'zh-CN': 'cn' },
    transport: { udp: '0', tcp: '1', tls: '3' },
    maxBlfKeys: 32,
  },
  snom: {
    fileName: (mac) => `${mac}.xml`,
    template: 'snom.xml.hbs',
    xml: true,
    contentType: 'application/xml; charset=utf-8',
    language: { en: 'English', 'zh-CN': 'Chinese' },
    transport: { udp: 'udp', tcp: 'tcp', tls: 'tls' },
    maxBlfKeys: 32,
  },
  polycom: {
    fileName: (mac) => `${mac}.cfg`,
    template: 'polycom.cfg.hbs',
    xml: true,
    contentType: 'application/xml; charset=utf-8',
    language: { en: 'English_United_States', 'zh-CN': 'Chinese_China' },
    transport: { udp: 'UDPOnly', tcp: 'TCPOnly', tls: 'TLS' },
    maxBlfKeys: 32,
  },
};

export const provisioningFileName = (vendor: Vendor, mac: string): string => VENDOR_SPECS[vendor].fileName(mac);
