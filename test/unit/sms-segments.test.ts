import { smsSegments, isGsm7 } from '../../domain/sms-segments';

describe('smsSegments', () => {
  it('When a GSM-7 text has exactly 160 characters, then it is one segment of 160 septets', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
  });

  it('When a GSM-7 text has 161 characters, then it is split in parts of 153: two segments', () => {
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('When the text uses GSM-7 accented letters (é, è, à, ù, Ç), then it stays GSM-7', () => {
    const text = 'Ça a été là où je suis allé';
    expect(smsSegments(text)).toEqual({ encoding: 'GSM-7', units: [...text].length, segments: 1 });
  });

  it.each([...'^{}\\[~]|€\f'])('When the text contains the extension character %j, then it costs 2 septets', (ch) => {
    expect(smsSegments(`a${ch}`)).toEqual({ encoding: 'GSM-7', units: 3, segments: 1 });
  });

  it('When 80 euro signs make 160 septets, then one segment; 81 make 162 septets, then two', () => {
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('€'.repeat(81))).toEqual({ encoding: 'GSM-7', units: 162, segments: 2 });
  });

  it('When an escape pair would straddle the 153rd septet, then it moves to the next part', () => {
    // 161 septets → concatenated. Part 1 holds the 152 'a' (the € does not fit in the one septet
    // left), part 2 holds the € and 7 'a'.
    const text = 'a'.repeat(152) + '€' + 'a'.repeat(7);
    expect(smsSegments(text)).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    // 152 + € + 151 = 305 septets would fit in 2×153 = 306 without the rule; with it, 3 parts.
    const tight = 'a'.repeat(152) + '€' + 'a'.repeat(152);
    expect(smsSegments(tight)).toEqual({ encoding: 'GSM-7', units: 306, segments: 3 });
    const fits = 'a'.repeat(151) + '€' + 'a'.repeat(153);
    expect(smsSegments(fits)).toEqual({ encoding: 'GSM-7', units: 306, segments: 2 });
  });

  it('When a character is outside GSM-7 (ê), then the whole text is UCS-2: 70 single, 67 per part', () => {
    expect(smsSegments('ê' + 'a'.repeat(69))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments('ê' + 'a'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(smsSegments('ê' + 'a'.repeat(133))).toEqual({ encoding: 'UCS-2', units: 134, segments: 2 });
    expect(smsSegments('ê' + 'a'.repeat(134))).toEqual({ encoding: 'UCS-2', units: 135, segments: 3 });
  });

  it('When the text has an emoji, then it counts 2 UTF-16 units', () => {
    expect(smsSegments('😀')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1 });
    expect(smsSegments('😀'.repeat(35))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments('😀'.repeat(36))).toEqual({ encoding: 'UCS-2', units: 72, segments: 2 });
  });

  it('When a surrogate pair would straddle the 67th unit, then it moves to the next part', () => {
    const text = 'a'.repeat(66) + '😀' + 'a'.repeat(66); // 134 units = 2 × 67, but the pair cannot split
    expect(smsSegments(text)).toEqual({ encoding: 'UCS-2', units: 134, segments: 3 });
    const aligned = 'a'.repeat(65) + '😀' + 'a'.repeat(67);
    expect(smsSegments(aligned)).toEqual({ encoding: 'UCS-2', units: 134, segments: 2 });
  });

  it('When the text is empty, then it is still one GSM-7 SMS of 0 units', () => {
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 1 });
  });

  it('When isGsm7 is asked, then it reflects the encoding choice', () => {
    expect(isGsm7('Hello {name} €5')).toBe(true);
    expect(isGsm7('Привет')).toBe(false);
  });
});
