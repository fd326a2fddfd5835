/** What the WeCom channel needs to know about the self-built app; produced by the config loader. */
export interface WecomSettings {
  /** The company's id (企业ID), also the receiveid inside every encrypted callback. */
  corpId: string;
  /** The self-built app's AgentId. */
  agentId: number;
  /** The app's Secret, traded for an access token. */
  secret: string;
  /** Callback Token, the signature key. */
  token: string;
  /** Callback EncodingAESKey (43 characters). */
  encodingAesKey: string;
  /** Base URL of the API, e.g. 'https://qyapi.weixin.qq.com/cgi-bin'; tests point it at a fake. */
  apiBase: string;
}
