/**
 * Builds WeCom callbacks the way WeCom does: the inner XML encrypted with the
 * app's EncodingAESKey, wrapped in the envelope and signed with its Token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { encrypt } from '@wecom/crypto';
import type { WecomSettings } from '../../src/channels/wecom/settings';

/** Token, key and corp id of WeCom's own sample (weworkapi_python), so its vectors verify. */
export function testWecomSettings(overrides: Partial<WecomSettings> = {}): WecomSettings {
  return {
    corpId: 'ww1436e0e65a779aee',
    agentId: 1000002,
    secret: 'test-secret',
    token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
    encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
    apiBase: 'http://127.0.0.1:9/cgi-bin',
    ...overrides,
  };
}

/** The signed query string values and the XML body of one POST callback. */
export interface SignedCallback {
  query: { msg_signature: string; timestamp: string; nonce: string };
  body: string;
}

/** Options that change how a callback is sealed, for tests of refusals. */
export interface SealOptions {
  timestamp?: number;
  nonce?: string;
  /** Seal for another receiver than settings.corpId. */
  receiveId?: string;
}

/** Encrypts and signs `innerXml` into a POST callback. */
export function sealCallback(
  settings: WecomSettings,
  innerXml: string,
  options: SealOptions = {},
): SignedCallback {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? String(randomBytes(4).readUInt32BE(0));
  const encrypted = encrypt(
    settings.encodingAesKey,
    innerXml,
    options.receiveId ?? settings.corpId,
  );
  const body =
    `<xml><ToUserName><![CDATA[${settings.corpId}]]></ToUserName>` +
    `<Encrypt><![CDATA[${encrypted}]]></Encrypt>` +
    `<AgentID><![CDATA[${settings.agentId}]]></AgentID></xml>`;
  return {
    query: { msg_signature: sign(settings.token, timestamp, nonce, encrypted), timestamp, nonce },
    body,
  };
}

/** WeCom's signature, computed here independently of the code under test. */
export function sign(token: string, timestamp: string, nonce: string, encrypted: string): string {
  const sorted = [token, timestamp, nonce, encrypted].sort().join('');
  return createHash('sha1').update(sorted).digest('hex');
}

/** The request path with the query encoded as WeCom does ('+' as %2B). */
export function callbackPath(query: Record<string, string>, path = '/wecom/callback'): string {
  const pairs = Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return `${path}?${pairs.join('&')}`;
}

/** A text message from `from`. */
export function textCallback(
  settings: WecomSettings,
  message: { from: string; content: string; msgId: string; createTime?: number },
  options: SealOptions = {},
): SignedCallback {
  const createTime = message.createTime ?? Math.floor(Date.now() / 1000);
  const xml =
    `<xml><ToUserName><![CDATA[${settings.corpId}]]></ToUserName>` +
    `<FromUserName><![CDATA[${message.from}]]></FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content><![CDATA[${message.content}]]></Content><MsgId>${message.msgId}</MsgId>` +
    `<AgentID>${settings.agentId}</AgentID></xml>`;
  return sealCallback(settings, xml, options);
}

/** A tap on a vote card's submit button, with the options that were selected. */
export function cardClickCallback(
  settings: WecomSettings,
  click: {
    from: string;
    taskId: string;
    eventKey: string;
    questionKey: string;
    optionIds: string[];
    responseCode: string;
    createTime?: number;
  },
  options: SealOptions = {},
): SignedCallback {
  const createTime = click.createTime ?? Math.floor(Date.now() / 1000);
  const optionIds = click.optionIds.map((id) => `<OptionId><![CDATA[${id}]]></OptionId>`).join('');
  const xml =
    `<xml><ToUserName><![CDATA[${settings.corpId}]]></ToUserName>` +
    `<FromUserName><![CDATA[${click.from}]]></FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
    `<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[${click.eventKey}]]></EventKey>` +
    `<TaskId><![CDATA[${click.taskId}]]></TaskId><CardType><![CDATA[vote_interaction]]></CardType>` +
    `<ResponseCode><![CDATA[${click.responseCode}]]></ResponseCode><AgentID>${settings.agentId}</AgentID>` +
    `<SelectedItems><SelectedItem><QuestionKey><![CDATA[${click.questionKey}]]></QuestionKey>` +
    `<OptionIds>${optionIds}</OptionIds></SelectedItem></SelectedItems></xml>`;
  return sealCallback(settings, xml, options);
}

/** The event WeCom sends when a person opens the app's chat. */
export function enterCallback(
  settings: WecomSettings,
  event: { from: string; createTime?: number },
  options: SealOptions = {},
): SignedCallback {
  const createTime = event.createTime ?? Math.floor(Date.now() / 1000);
  const xml =
    `<xml><ToUserName><![CDATA[${settings.corpId}]]></ToUserName>` +
    `<FromUserName><![CDATA[${event.from}]]></FromUserName><CreateTime>${createTime}</CreateTime>` +
    `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event>` +
    `<EventKey><![CDATA[]]></EventKey><AgentID>${settings.agentId}</AgentID></xml>`;
  return sealCallback(settings, xml, options);
}
