// The typed surface of ARI that the business rooms see. Only fields we use are named.

export interface ChannelInfo {
  id: string;
  name: string;
  state: string;
  caller: { number: string; name: string };
  dialplan?: { context: string; exten: string };
  creationtime?: string;
}

export interface BridgeInfo {
  id: string;
  channels: string[];
  bridge_type?: string;
}

export interface AriEvents {
  /** A channel entered our Stasis app; args are what the dialplan or our originate passed. */
  stasisStart: { channel: ChannelInfo; args: string[] };
  stasisEnd: { channel: ChannelInfo };
  channelDestroyed: { channel: ChannelInfo; cause: number; causeText: string };
  channelStateChange: { channel: ChannelInfo };
  /** Progress of a dial we started: RINGING, ANSWER, NOANSWER, BUSY, CANCEL, CHANUNAVAIL... */
  dial: { peer: ChannelInfo; callerId?: string; status: string };
  playbackFinished: { playbackId: string };
  channelDtmf: { channel: ChannelInfo; digit: string };
  /**
   * A phone asked for a transfer (SIP REFER) on a channel set to
   * PJSIP_TRANSFER_HANDLING()=ari-only: nothing happens until the app acts.
   * `destination` is the Refer-To user part of a blind transfer; `replaces` names the
   * channel (and its peer) an attended transfer (Refer-To with Replaces) points at.
   */
  channelTransfer: {
    sourceChannelId: string;
    destination?: string;
    protocolId?: string;
    replacesChannelId?: string;
    replacesPeerId?: string;
    /** The peer's channel name (PJSIP/1002-00000012): AMI acts on names, and it tells the endpoint. */
    replacesPeerName?: string;
    state?: string;
  };
  /** (Re)connected: events during a gap are lost, so listeners reconcile from a snapshot. */
  connected: { reconnect: boolean };
  disconnected: { error?: string };
}

export type TransferProgress = 'channel_progress' | 'channel_answered' | 'channel_unavailable' | 'channel_declined';

export type AriEventName = keyof AriEvents;

/** Audio directions of a snoop, seen from the snooped channel: in = what it says, out = what it hears. */
export type SnoopDirection = 'none' | 'both' | 'in' | 'out';

export interface SnoopOptions {
  /** The channel listened to. */
  channelId: string;
  /** Our own id for the snoop channel, so a restarted server recognises it. */
  snoopId: string;
  spy: SnoopDirection;
  /** Audio put into the snooped channel: out = only that channel's phone hears it. */
  whisper: SnoopDirection;
  appArgs: string;
}

/** The narrow port business rooms use for calls; every call is idempotent about vanished channels. */
export interface CallControl {
  answer(channelId: string): Promise<void>;
  hangup(channelId: string, reason?: string): Promise<void>;
  startMoh(channelId: string, mohClass?: string): Promise<void>;
  stopMoh(channelId: string): Promise<void>;
  /** Ringback to a channel (an answered one hears the ring tone) until ringStop. */
  ring(channelId: string): Promise<void>;
  ringStop(channelId: string): Promise<void>;
  play(channelId: string, media: string | string[], playbackId?: string): Promise<string>;
  stopPlayback(playbackId: string): Promise<void>;
  createBridge(bridgeId: string): Promise<void>;
  addToBridge(bridgeId: string, channelIds: string[]): Promise<void>;
  /** Takes channels out of a bridge (they stay in our app); a channel already gone is fine. */
  removeFromBridge(bridgeId: string, channelIds: string[]): Promise<void>;
  destroyBridge(bridgeId: string): Promise<void>;
  /** Creates an outbound leg in our app without dialling it yet. */
  createChannel(opts: { channelId: string; endpoint: string; appArgs: string; originator?: string; callerId?: string }): Promise<void>;
  dial(channelId: string, callerChannelId: string | undefined, timeoutSec: number): Promise<void>;
  /**
   * A snoop channel on `channelId` in our app; resolves once it has entered Stasis (only
   * then can it join a bridge). Rejects with status 404 when the snooped channel is gone.
   */
  snoop(opts: SnoopOptions): Promise<void>;
  /** Leaves our app for the dialplan at context/extension/priority (voicemail, fallback). */
  continueInDialplan(channelId: string, context: string, extension: string, priority?: number): Promise<void>;
  setVar(channelId: string, name: string, value: string): Promise<void>;
  getVar(channelId: string, name: string): Promise<string | undefined>;
  /**
   * Sets a device state our app owns (`Stasis:<name>`), e.g. for a busy lamp a phone
   * subscribes to through a dialplan hint. `state`: NOT_INUSE, INUSE, BUSY, RINGING,
   * ONHOLD, UNAVAILABLE...
   */
  setDeviceState(name: string, state: string): Promise<void>;
  listChannels(): Promise<ChannelInfo[]>;
  /** Sends DTMF to the channel's far end (RFC 2833 or what the channel negotiated). */
  sendDtmf(channelId: string, digits: string): Promise<void>;
  /** Tells the phone that sent a REFER how its transfer goes (a NOTIFY with a sipfrag). */
  transferProgress(channelId: string, state: TransferProgress): Promise<void>;
  listBridges(): Promise<BridgeInfo[]>;
  on<K extends AriEventName>(event: K, handler: (e: AriEvents[K]) => void): void;
  isUp(): boolean;
}
