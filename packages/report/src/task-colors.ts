/** One colour per task in every chart, so NER / RE / RE+ read the same everywhere. */
export const TASK_COLORS = { NER: '#4c78a8', RE: '#f58518', 'RE+': '#54a24b' } as const;

export const taskColorScale = { domain: Object.keys(TASK_COLORS), range: Object.values(TASK_COLORS) };
