import type { CardSubmit, ChatEntry } from './api';
import { isWebUrl } from './card';
import { clock, fileSize } from './format';
import { renderMarkdown } from './markdown';
import { TemplateCard } from './TemplateCard';

interface Props {
  entry: ChatEntry;
  // The first character of the person's name, for their own avatar.
  selfInitial: string;
  onCardSubmit: (entryId: string, submit: CardSubmit) => Promise<void>;
}

/** One chat entry: the bot's on the left with the 考 avatar, the person's own on the right. */
export function Bubble({ entry, selfInitial, onCardSubmit }: Props) {
  const own = entry.from === 'user';
  return (
    <div class={`row ${own ? 'row-own' : 'row-bot'}`} data-entry-id={entry.id}>
      <div class={`avatar ${own ? 'avatar-own' : ''}`} aria-hidden="true">
        {own ? selfInitial : '考'}
      </div>
      <div class="row-body">
        <Content entry={entry} own={own} onCardSubmit={onCardSubmit} />
        <time class="time" dateTime={entry.at}>
          {clock(entry.at)}
        </time>
      </div>
    </div>
  );
}

function Content({
  entry,
  own,
  onCardSubmit,
}: Pick<Props, 'entry' | 'onCardSubmit'> & { own: boolean }) {
  const bubble = `bubble ${own ? 'bubble-own' : ''}`;
  switch (entry.kind) {
    case 'markdown':
      return (
        <div
          class={`${bubble} markdown`}
          dangerouslySetInnerHTML={{ __html: renderMarkdown(entry.text ?? '') }}
        />
      );
    case 'card':
      return (
        <TemplateCard
          // A card replaced in place (the next step of a form) starts with fresh choices.
          key={JSON.stringify(entry.card ?? {})}
          card={entry.card ?? {}}
          replacedLabel={entry.replacedLabel}
          onSubmit={(submit) => onCardSubmit(entry.id, submit)}
        />
      );
    case 'file':
      return entry.file ? <FileTile file={entry.file} /> : null;
    case 'image':
      return entry.file ? (
        <figure class="image">
          <img src={entry.file.url} alt={entry.file.name} />
          <a href={entry.file.url} target="_blank" rel="noopener noreferrer">
            查看原图
          </a>
        </figure>
      ) : null;
    default:
      return <div class={`${bubble} plain`}>{entry.text ?? ''}</div>;
  }
}

function FileTile({ file }: { file: NonNullable<ChatEntry['file']> }) {
  const ext = (file.name.match(/\.([a-z0-9]{1,4})$/i)?.[1] ?? 'file').toUpperCase();
  return (
    <div class="file">
      <div class={`file-icon file-${ext.toLowerCase()}`} aria-hidden="true">
        {ext}
      </div>
      <div class="file-info">
        <div class="file-name">{file.name}</div>
        <div class="file-size">{fileSize(file.size)}</div>
      </div>
      {isWebUrl(file.url) && (
        <a class="file-download" href={file.url} download={file.name}>
          下载
        </a>
      )}
    </div>
  );
}
