/** What the DingTalk channel needs to know about the internal app's robot; produced by the config loader. */
export interface DingtalkSettings {
  /** The app's AppKey (Client ID), traded for an access token. */
  appKey: string;
  /** The app's AppSecret (Client Secret): token credential and the callback signature key. */
  appSecret: string;
  /** The robot's code, required by every robot send. */
  robotCode: string;
  /** Base URL of the API, e.g. 'https://api.dingtalk.com'; tests point it at a fake. */
  apiBase: string;
}

/** The channel's full settings: the app, and how it receives and draws choices. */
export interface DingtalkAppSettings extends DingtalkSettings {
  /** Stream mode connects out (no public URL); http receives on /dingtalk/callback. */
  mode: 'stream' | 'http';
  /** The interactive card template; without one, choices go as markdown answered by typing. */
  cardTemplateId?: string;
}
