import { randomBytes } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import { encryptPayload, wecomSignature } from '../channels/wecom/crypto';
import type { WecomSettings } from '../channels/wecom/settings';
import type { Clock } from '../lib/clock';
import { userError } from '../lib/errors';
import { openPassiveReply, type PassiveReply } from './passive-reply';

/** What a person chose on a card: the options ticked per question. */
export interface CardSelection {
  questionKey: string;
  optionIds: string[];
}

/** A tap on a card, as WeCom reports it in a template_card_event. */
export interface CardTap {
  taskId: string;
  cardType: string;
  eventKey: string;
  responseCode: string;
  selected: CardSelection[];
}

const builder = new XMLBuilder({ cdataPropName: '__cdata', suppressEmptyNode: false });
const cdata = (value: string | number) => ({ __cdata: String(value) });

/**
 * Speaks to the bot as WeCom does: each message or card tap becomes callback
 * XML, encrypted with the app's EncodingAESKey for the corp, signed with its
 * Token, and POSTed to the bot's /wecom/callback over HTTP.
 */
export class CallbackSender {
  private counter = 0;

  constructor(
    private readonly settings: WecomSettings,
    private readonly botUrl: string,
    private readonly clock: Clock,
  ) {}

  /** A text message typed by `userid`; returns the passive reply in the callback's response, if any. */
  async text(userid: string, content: string): Promise<PassiveReply | null> {
    return this.post(userid, {
      ...this.header(userid, 'text'),
      Content: cdata(content),
      MsgId: this.msgId(),
      AgentID: this.settings.agentId,
    });
  }

  /** A tap on one of the bot's cards by `userid`; returns the passive reply, if any. */
  async cardTap(userid: string, tap: CardTap): Promise<PassiveReply | null> {
    return this.post(userid, {
      ...this.header(userid, 'event'),
      Event: cdata('template_card_event'),
      EventKey: cdata(tap.eventKey),
      TaskId: cdata(tap.taskId),
      CardType: cdata(tap.cardType),
      ResponseCode: cdata(tap.responseCode),
      AgentID: this.settings.agentId,
      SelectedItems: {
        SelectedItem: tap.selected.map((s) => ({
          QuestionKey: cdata(s.questionKey),
          OptionIds: { OptionId: s.optionIds.map(cdata) },
        })),
      },
    });
  }

  private header(userid: string, msgType: string) {
    return {
      ToUserName: cdata(this.settings.corpId),
      FromUserName: cdata(userid),
      CreateTime: Math.floor(this.clock.now().getTime() / 1000),
      MsgType: cdata(msgType),
    };
  }

  // WeCom's MsgIds are 64-bit numbers; time plus a counter keeps them unique across restarts.
  private msgId(): string {
    return `${this.clock.now().getTime()}${String(++this.counter % 100000).padStart(5, '0')}`;
  }

  // The response body is a passive reply or empty; it is opened as WeCom opens it
  // (a broken one throws BrokenPassiveReply), since that is what the person would see.
  private async post(
    userid: string,
    message: Record<string, unknown>,
  ): Promise<PassiveReply | null> {
    const { corpId, agentId, token } = this.settings;
    const encrypted = encryptPayload(this.settings, builder.build({ xml: message }));
    const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
    const nonce = randomBytes(5).toString('hex');
    const query = new URLSearchParams({
      msg_signature: wecomSignature(token, timestamp, nonce, encrypted),
      timestamp,
      nonce,
    });
    const envelope = builder.build({
      xml: { ToUserName: cdata(corpId), Encrypt: cdata(encrypted), AgentID: cdata(agentId) },
    });
    let response: Response;
    try {
      response = await fetch(`${this.botUrl}/wecom/callback?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: envelope,
        signal: AbortSignal.timeout(5000),
      });
    } catch {
      throw userError('unavailable', '机器人没有响应，请稍后再试。');
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw userError('unavailable', `机器人拒收了这条消息（HTTP ${response.status}）。`);
    }
    const body = await response.text().catch(() => {
      throw userError('unavailable', '机器人没有响应，请稍后再试。');
    });
    return openPassiveReply(this.settings, body, userid);
  }
}
