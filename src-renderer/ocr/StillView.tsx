/**
 * A still with its OCR word boxes (thin) and a finding's evidence boxes
 * (thick, red) drawn with Konva, scaled to the panel width. Coordinates are
 * the still's own pixels (full resolution), so boxes land where the words are.
 */
import { useEffect, useMemo, useState } from 'react';
import { Image as KImage, Layer, Rect, Stage } from 'react-konva';
import type { OcrResultT } from '../../src-preload/contract/ocr';

export interface StillViewProps {
  bytes: Uint8Array;
  mime: string;
  width: number;
  height: number;
  result?: OcrResultT;
  highlight: Array<{ x: number; y: number; w: number; h: number }>;
  fieldBoxes: Array<{ x: number; y: number; w: number; h: number }>;
  viewWidth: number;
}

export function StillView({ bytes, mime, width, height, result, highlight, fieldBoxes, viewWidth }: StillViewProps) {
  const url = useMemo(() => URL.createObjectURL(new Blob([bytes as unknown as BlobPart], { type: mime })), [bytes, mime]);
  const [img, setImg] = useState<HTMLImageElement | null>(null);
  useEffect(() => {
    const i = new Image();
    i.onload = () => setImg(i);
    i.src = url;
    return () => { URL.revokeObjectURL(url); };
  }, [url]);
  const scale = viewWidth / width;
  const words = result?.lines.flatMap((l) => l.words) ?? [];
  return (
    <div data-testid="still-view" data-width={width} data-height={height} data-words={words.length} data-highlights={highlight.length}>
      <Stage width={viewWidth} height={Math.round(height * scale)} scaleX={scale} scaleY={scale}>
        <Layer listening={false}>
          {img ? <KImage image={img} width={width} height={height} /> : null}
          {words.map((w, i) => <Rect key={`w${i}`} x={w.box.x} y={w.box.y} width={w.box.w} height={w.box.h} stroke="rgba(0,120,255,0.55)" strokeWidth={1 / scale} />)}
          {fieldBoxes.map((b, i) => <Rect key={`f${i}`} x={b.x - 3} y={b.y - 3} width={b.w + 6} height={b.h + 6} stroke="rgba(0,160,80,0.9)" strokeWidth={2 / scale} />)}
          {highlight.map((b, i) => <Rect key={`h${i}`} x={b.x - 6} y={b.y - 6} width={b.w + 12} height={b.h + 12} stroke="#e00" strokeWidth={3 / scale} fill="rgba(255,0,0,0.12)" />)}
        </Layer>
      </Stage>
    </div>
  );
}
