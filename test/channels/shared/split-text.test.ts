import { splitUtf8 } from '../../../src/channels/shared/split-text';

describe('splitUtf8', () => {
  it('keeps short text whole', () => {
    expect(splitUtf8('a\nb', 10)).toEqual(['a\nb']);
  });

  it('cuts at the last line break that fits', () => {
    expect(splitUtf8('aaa\nbbb\nccc', 7)).toEqual(['aaa\nbbb', 'ccc']);
  });

  it('counts bytes, not characters', () => {
    expect(splitUtf8('一二\n三', 6)).toEqual(['一二', '三']);
  });

  it('never splits a surrogate pair', () => {
    expect(splitUtf8('😀😀😀', 8)).toEqual(['😀😀', '😀']);
  });

  it('drops only blank pieces', () => {
    expect(splitUtf8('aaa\n\n\nbbb', 3)).toEqual(['aaa', 'bbb']);
    expect(splitUtf8('   ', 10)).toEqual([]);
  });
});
