import * as OpenCC from 'opencc-js/t2cn';

export type NormalizeOptions = {
  /** Drop greetings (亲/在吗/你好) at the start and mood particles (呀/哈/啊/呢) at the end. Default true. */
  trimFillers?: boolean;
};

type Converter = (text: string) => string;
let toSimplified: Converter | undefined;

// Taiwan-standard input (tw) converts 著急→着急 correctly where the generic "t" table keeps 著;
// the converter tables take ~10 ms to build, so build them on first use only.
function convertToSimplified(text: string): string {
  toSimplified ??= OpenCC.Converter({ from: 'tw', to: 'cn' });
  // OpenCC reads a simplified 么 as the traditional variant of 幺 (肿么 → 肿幺); 麼 converts back to 么.
  return toSimplified(text.replaceAll('么', '麼'));
}

const CJK = '\\u3400-\\u9fff';
// Pictographs plus the joiners/modifiers that glue multi-part emoji (skin tones, ZWJ, keycaps).
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u{FE0F}|\u{200D}|\u{20E3}/gu;
// 旺旺/微信 text emoticons such as [微笑] [捂脸] [ok].
const BRACKET_EMOTICON = new RegExp(`\\[[${CJK}a-z]{1,4}\\]`, 'g');
const KAOMOJI = /\(?\s*[\^><;*TＴ][_\-.oO~ωwW]{1,2}[\^><;*TＴ]\s*\)?/g;
const CHINESE_PUNCTUATION: Readonly<Record<string, string>> = {
  '。': '.',
  '、': ',',
  '，': ',',
  '；': ';',
  '：': ':',
  '“': '"',
  '”': '"',
  '‘': "'",
  '’': "'",
  '《': '"',
  '》': '"',
  '【': '[',
  '】': ']',
  '「': '"',
  '」': '"',
  '～': '~',
  '〜': '~',
};
const LEADING_FILLER =
  /^(?:(?:亲爱的|亲亲|亲|在吗|在不在|在么|在嘛|有人吗|有人在吗|客服|老板|掌柜的|掌柜|小姐姐|小哥哥|美女|你好|您好|hi|hello|哈喽|嗨|喂|请问|问一下|问下|我想问一下|我想问下|我想问|想问一下|想问下)[\s,.!?~:…]*)+/;
const TRAILING_FILLER = /(?:呀|哈|啊|呢|哦|噢|喔|啦|嘛|咧|捏|哇|哟|嗯)+(?=[\s,.!?~…]*$)/;

/** Full-width → half-width, traditional → simplified, lower case, tidy punctuation, emoji and fillers. */
export function normalizeText(input: string, options: NormalizeOptions = {}): string {
  // NFKC folds full-width latin, digits and ？！～ to ASCII.
  let text = input.normalize('NFKC');
  text = convertToSimplified(text).toLowerCase();
  text = text.replace(/[。、，；：“”‘’《》【】「」～〜]/g, (ch) => CHINESE_PUNCTUATION[ch] ?? ch);
  text = text.replace(BRACKET_EMOTICON, ' ').replace(EMOJI, ' ').replace(KAOMOJI, ' ');
  // Runs of punctuation: a question mark anywhere in the run makes it a question.
  text = text.replace(/[?!]{2,}/g, (run) => (run.includes('?') ? '?' : '!'));
  text = text
    .replace(/(?:\.{2,}|…+)/g, '…')
    .replace(/~{2,}/g, '~')
    .replace(/,{2,}/g, ',');
  // 急急急 / 哈哈哈 carry urgency, not content; digits stay (order numbers).
  text = text.replace(new RegExp(`([${CJK}])\\1{2,}`, 'g'), '$1');
  text = text.replace(/\s+/g, ' ').trim();
  // Buyers type 保 价 / 尾 款 with stray spaces; spaces between CJK characters are never meaningful.
  text = text.replace(new RegExp(`(?<=[${CJK}]) (?=[${CJK}])`, 'g'), '');
  if (options.trimFillers !== false) text = trimFillers(text);
  return text;
}

function trimFillers(text: string): string {
  const trimmed = text.replace(LEADING_FILLER, '').replace(TRAILING_FILLER, '').trim();
  // "在吗" or "亲" alone is the whole message: keep it rather than return nothing.
  return trimmed.length > 0 ? trimmed : text;
}
