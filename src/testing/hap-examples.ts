/**
 * @module testing/hap-examples
 * A small labelled Korean set for head-training tests: 30 rude (`hap`) and 30 kind (`none`)
 * sentences. Numbered sentences are all distinct; unnumbered ones use only words, for encoders
 * with a fixed vocabulary.
 */
export function hapExamples(options: { numbered?: boolean } = {}): { text: string; label: string }[] {
  const rude = ['바보', '멍청이', '꺼져', '쓰레기'];
  const kind = ['고마워요', '좋아요', '멋져요', '사랑해요'];
  const out: { text: string; label: string }[] = [];
  for (let i = 0; i < 30; i++) {
    const suffix = options.numbered === false ? '' : ` ${i}`;
    out.push({ text: `${rude[i % 4]} 너는 정말 ${rude[(i + 1) % 4]}${suffix}`, label: 'hap' });
    out.push({ text: `${kind[i % 4]} 오늘도 ${kind[(i + 2) % 4]}${suffix}`, label: 'none' });
  }
  return out;
}
