import { useMemo, useState } from 'preact/hooks';
import type { CardSelection, CardSubmit } from './api';
import { readCard, type Select } from './card';

interface Props {
  card: Record<string, unknown>;
  // Set once the card has been acted on (update_button): the card is then read-only.
  replacedLabel: string | undefined;
  onSubmit: (submit: CardSubmit) => Promise<void>;
}

const BUTTON_STYLES: Record<number, string> = { 1: 'blue', 2: 'grey', 3: 'red', 4: 'green' };

/** A WeCom template_card, as the person would see it in the WeCom app. */
export function TemplateCard({ card: raw, replacedLabel, onSubmit }: Props) {
  const card = useMemo(() => readCard(raw), [raw]);
  const [checked, setChecked] = useState<string[]>(
    () => card.checkbox?.options.filter((o) => o.checked).map((o) => o.id) ?? [],
  );
  const [chosen, setChosen] = useState<Record<string, string>>(() => initialChoices(card.selects));
  const [buttonChoice, setButtonChoice] = useState(
    () => card.buttonSelection?.selectedId || card.buttonSelection?.options[0]?.id || '',
  );
  const [busy, setBusy] = useState(false);
  const [hint, setHint] = useState('');
  // A card locked by its sender (replace_text) reads like one acted on.
  const doneLabel = replacedLabel ?? (card.replaceText || undefined);
  const done = typeof doneLabel === 'string';

  async function submit(eventKey: string, selected: CardSelection[]) {
    if (done || busy) return;
    setHint('');
    setBusy(true);
    try {
      await onSubmit({ eventKey, selected });
    } finally {
      setBusy(false);
    }
  }

  function toggle(id: string, on: boolean) {
    setHint('');
    if (card.checkbox?.multiple) {
      setChecked((ids) =>
        on ? [...ids.filter((x) => x !== id), id] : ids.filter((x) => x !== id),
      );
    } else if (on) {
      setChecked([id]);
    }
  }

  function submitVote(key: string) {
    const box = card.checkbox;
    if (!box) return;
    // Keep the card's own option order, not the order of the taps.
    const optionIds = box.options.map((o) => o.id).filter((id) => checked.includes(id));
    if (optionIds.length === 0) return setHint('请先选择');
    void submit(key, [{ questionKey: box.questionKey, optionIds }]);
  }

  function submitSelects(key: string) {
    const selected = card.selects.map((s) => ({
      questionKey: s.questionKey,
      optionIds: chosen[s.questionKey] ? [chosen[s.questionKey] ?? ''] : [],
    }));
    if (selected.some((s) => s.optionIds.length === 0)) return setHint('请先选择');
    void submit(key, selected);
  }

  function tapButton(key: string) {
    const sel = card.buttonSelection;
    void submit(
      key,
      sel && buttonChoice ? [{ questionKey: sel.questionKey, optionIds: [buttonChoice] }] : [],
    );
  }

  const finished = done ? <div class="card-done">{doneLabel}</div> : null;

  return (
    <article class="card" aria-label={card.title || undefined} aria-busy={busy}>
      {card.source && <div class="card-source">{card.source}</div>}
      {card.title && <h3 class="card-title">{card.title}</h3>}
      {card.desc && <p class="card-desc">{card.desc}</p>}
      {card.emphasis && (
        <div class="card-emphasis">
          <strong>{card.emphasis.title}</strong>
          <span>{card.emphasis.desc}</span>
        </div>
      )}
      {card.subtitle && <p class="card-subtitle">{card.subtitle}</p>}
      {card.rows.length > 0 && (
        <dl class="card-rows">
          {card.rows.map((r, i) => (
            <div key={i}>
              <dt>{r.key}</dt>
              <dd>{r.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {card.links.length > 0 && (
        <ul class="card-links">
          {card.links.map((l, i) => (
            <li key={i}>
              <a href={l.url} target="_blank" rel="noopener noreferrer">
                {l.title || l.url}
              </a>
            </li>
          ))}
        </ul>
      )}

      <fieldset class="card-form" disabled={done || busy}>
        {card.type === 'vote_interaction' && card.checkbox && (
          <div class="card-options" role={card.checkbox.multiple ? 'group' : 'radiogroup'}>
            {card.checkbox.options.map((o) => (
              <label key={o.id} class="card-option">
                <input
                  type={card.checkbox?.multiple ? 'checkbox' : 'radio'}
                  name={card.checkbox?.questionKey}
                  value={o.id}
                  checked={checked.includes(o.id)}
                  onChange={(e) => toggle(o.id, e.currentTarget.checked)}
                />
                <span>{o.text}</span>
              </label>
            ))}
          </div>
        )}

        {card.type === 'multiple_interaction' &&
          card.selects.map((s) => (
            <SelectRow
              key={s.questionKey}
              select={s}
              value={chosen[s.questionKey] ?? ''}
              onChange={(id) => {
                setHint('');
                setChosen((c) => ({ ...c, [s.questionKey]: id }));
              }}
            />
          ))}

        {card.type === 'button_interaction' && card.buttonSelection && (
          <SelectRow
            select={card.buttonSelection}
            value={buttonChoice}
            onChange={setButtonChoice}
          />
        )}

        {hint && <p class="card-hint">{hint}</p>}

        {finished ??
          (card.type === 'button_interaction' ? (
            <div class="card-buttons">
              {card.buttons.map((b) => (
                <button
                  key={b.key}
                  type="button"
                  class={`btn btn-${BUTTON_STYLES[b.style] ?? 'blue'}`}
                  onClick={() => tapButton(b.key)}
                >
                  {b.text}
                </button>
              ))}
            </div>
          ) : (
            card.submit &&
            (card.type === 'vote_interaction' || card.type === 'multiple_interaction') && (
              <button
                type="button"
                class="btn btn-blue card-submit"
                onClick={() =>
                  card.type === 'vote_interaction'
                    ? submitVote(card.submit?.key ?? '')
                    : submitSelects(card.submit?.key ?? '')
                }
              >
                {card.submit.text}
              </button>
            )
          ))}
      </fieldset>
    </article>
  );
}

function initialChoices(selects: Select[]): Record<string, string> {
  return Object.fromEntries(selects.map((s) => [s.questionKey, s.selectedId]));
}

interface SelectRowProps {
  select: Select;
  value: string;
  onChange: (id: string) => void;
}

function SelectRow({ select, value, onChange }: SelectRowProps) {
  return (
    <label class="card-select">
      <span>{select.title}</span>
      <select
        aria-label={select.title || undefined}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
      >
        {!value && <option value="">请选择</option>}
        {select.options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.text}
          </option>
        ))}
      </select>
    </label>
  );
}
