// Reads the template_card JSON the bot sent to WeCom into a typed shape. The
// JSON is untrusted input, so every field is checked and odd ones are dropped
// rather than breaking the page.

export interface Option {
  id: string;
  text: string;
  checked: boolean;
}

export interface Button {
  text: string;
  key: string;
  style: number;
}

export interface Select {
  questionKey: string;
  title: string;
  selectedId: string;
  options: Option[];
}

export interface Checkbox {
  questionKey: string;
  multiple: boolean;
  options: Option[];
}

export interface Card {
  type: string;
  source: string;
  title: string;
  desc: string;
  emphasis: { title: string; desc: string } | null;
  subtitle: string;
  rows: { key: string; value: string }[];
  links: { title: string; url: string }[];
  buttons: Button[];
  buttonSelection: Select | null;
  checkbox: Checkbox | null;
  selects: Select[];
  submit: { text: string; key: string } | null;
  /** Shown in place of the buttons when the card is locked (WeCom's replace_text). */
  replaceText: string;
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';

// A card could carry a javascript: link; only web addresses become links.
export function isWebUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url, document.baseURI).protocol);
  } catch {
    return false;
  }
}

function options(v: unknown): Option[] {
  return list(v)
    .map((o) => ({ id: str(o.id), text: str(o.text), checked: o.is_checked === true }))
    .filter((o) => o.id !== '');
}

function select(v: Json): Select {
  return {
    questionKey: str(v.question_key),
    title: str(v.title),
    selectedId: str(v.selected_id),
    options: options(v.option_list),
  };
}

export function readCard(raw: Json): Card {
  const emphasis = obj(raw.emphasis_content);
  const checkbox = obj(raw.checkbox);
  const submit = obj(raw.submit_button);
  const buttonSelection = obj(raw.button_selection);
  return {
    type: str(raw.card_type),
    source: str(obj(raw.source).desc),
    title: str(obj(raw.main_title).title),
    desc: str(obj(raw.main_title).desc),
    emphasis:
      emphasis.title || emphasis.desc
        ? { title: str(emphasis.title), desc: str(emphasis.desc) }
        : null,
    subtitle: str(raw.sub_title_text),
    rows: list(raw.horizontal_content_list).map((r) => ({
      key: str(r.keyname),
      value: str(r.value),
    })),
    links: list(raw.jump_list)
      .map((j) => ({ title: str(j.title), url: str(j.url) }))
      .filter((j) => isWebUrl(j.url)),
    buttons: list(raw.button_list).map((b) => ({
      text: str(b.text),
      key: str(b.key),
      style: typeof b.style === 'number' ? b.style : 1,
    })),
    buttonSelection: buttonSelection.question_key ? select(buttonSelection) : null,
    checkbox: checkbox.question_key
      ? {
          questionKey: str(checkbox.question_key),
          multiple: checkbox.mode === 1,
          options: options(checkbox.option_list),
        }
      : null,
    selects: list(raw.select_list).map(select),
    submit: submit.key ? { text: str(submit.text) || '提交', key: str(submit.key) } : null,
    replaceText: str(raw.replace_text),
  };
}
