import { probeWebGpu } from '../../src/env/webgpu.ts';

const out = document.getElementById('out');
const info = await probeWebGpu();
if (out) out.textContent = JSON.stringify(info);
document.body.dataset.ready = 'true';
