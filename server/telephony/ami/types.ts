// The typed surface of AMI that business rooms see.

export interface ContactInfo {
  /** The AOR (for our desk phones, the extension). */
  aor: string;
  uri: string;
  /** Created, Removed, Reachable, Unreachable, NonQualified, Unknown, Updated. */
  status: string;
}

/** One outbound registration (a registering trunk's), as Asterisk reports it. */
export interface OutboundRegistrationInfo {
  /** The registration section's name. */
  name: string;
  /** Registered, Unregistered, Rejected, Stopped, ... */
  status: string;
  serverUri: string;
}

export interface DeviceStateInfo {
  /** e.g. PJSIP/1001 */
  device: string;
  /** NOT_INUSE, INUSE, BUSY, RINGING, RINGINUSE, ONHOLD, UNAVAILABLE, INVALID, UNKNOWN */
  state: string;
}

/** One CDR as cdr_manager sends it, keys lower-cased. */
export type CdrFields = Record<string, string>;

/**
 * An Asterisk security event about a SIP request (the 'security' AMI class): a request for
 * an endpoint that does not exist, a wrong password, an address an ACL refuses.
 */
export interface SecurityEventInfo {
  /** InvalidAccountID, ChallengeResponseFailed, InvalidPassword, FailedACL, RequestBadFormat, ... */
  kind: string;
  /** The service that reported it, e.g. PJSIP. */
  service: string;
  /** The account (user part) the request named; may be empty. */
  account: string;
  /** The sender's IP address (v4 or v6), without transport or port. */
  address: string;
  /** Asterisk's own time of the event, for telling one event from another across instances. */
  eventId: string;
}

export interface AmiEvents {
  contactStatus: ContactInfo;
  securityEvent: SecurityEventInfo;
  deviceState: DeviceStateInfo;
  cdr: CdrFields;
  connected: Record<string, never>;
  disconnected: Record<string, never>;
}

export type AmiEventName = keyof AmiEvents;

export interface PbxManager {
  on<K extends AmiEventName>(event: K, handler: (e: AmiEvents[K]) => void): void;
  isUp(): boolean;
  /** Current registrations of every PJSIP contact. */
  listContacts(): Promise<ContactInfo[]>;
  listDeviceStates(): Promise<DeviceStateInfo[]>;
  /** The outbound registrations (type=registration sections) and their state. */
  listOutboundRegistrations(): Promise<OutboundRegistrationInfo[]>;
  /** Records a channel (both directions mixed) to an absolute path as Asterisk sees it. */
  startRecording(channel: string, file: string): Promise<void>;
  /** Stops every MixMonitor on the channel; the file is closed while the channel lives on. */
  stopRecording(channel: string): Promise<void>;
  /** Mutes (both directions) or unmutes what MixMonitor writes for this channel: the file keeps running, silent. */
  muteRecording(channel: string, mute: boolean): Promise<void>;
  /**
   * Sends a channel that is not in Stasis (a phone's own call through the dialplan) to
   * context/exten, priority 1, with channel variables set first: ARI cannot move it there.
   */
  redirect(channel: string, context: string, exten: string, vars?: Record<string, string>): Promise<void>;
  /**
   * Asks Asterisk to re-read one module's config (e.g. res_pjsip.so after its include file
   * changed). Calls in progress are kept; rejects when AMI is down or the module is unknown.
   */
  reloadModule(module: string): Promise<void>;
}
