// The typed surface of AMI that business rooms see.

export interface ContactInfo {
  /** The AOR (for our desk phones, the extension). */
  aor: string;
  uri: string;
  /** Created, Removed, Reachable, Unreachable, NonQualified, Unknown, Updated. */
  status: string;
}

export interface DeviceStateInfo {
  /** e.g. PJSIP/1001 */
  device: string;
  /** NOT_INUSE, INUSE, BUSY, RINGING, RINGINUSE, ONHOLD, UNAVAILABLE, INVALID, UNKNOWN */
  state: string;
}

/** One CDR as cdr_manager sends it, keys lower-cased. */
export type CdrFields = Record<string, string>;

export interface AmiEvents {
  contactStatus: ContactInfo;
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
  /** Records a channel (both directions mixed) to an absolute path as Asterisk sees it. */
  startRecording(channel: string, file: string): Promise<void>;
  /** Mutes (both directions) or unmutes what MixMonitor writes for this channel: the file keeps running, silent. */
  muteRecording(channel: string, mute: boolean): Promise<void>;
}
