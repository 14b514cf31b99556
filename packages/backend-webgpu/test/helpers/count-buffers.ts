// Counts every buffer a device creates and destroys by wrapping device.createBuffer and each
// buffer's destroy: independent of the backend's own bookkeeping. Browser-safe (the page harness
// and the Node tests share it).

/** Live and created buffer counts of `device` from now on. */
export function countBuffers(device: GPUDevice): { created: () => number; alive: () => number } {
  const live = new Set<GPUBuffer>();
  let created = 0;
  const create = device.createBuffer.bind(device);
  device.createBuffer = (descriptor: GPUBufferDescriptor) => {
    const buffer = create(descriptor);
    created++;
    live.add(buffer);
    const destroy = buffer.destroy.bind(buffer);
    buffer.destroy = () => {
      live.delete(buffer);
      destroy();
    };
    return buffer;
  };
  return { created: () => created, alive: () => live.size };
}
