import { useEffect, useRef } from 'react';
import { useAppStore } from '../../store/appStore';
import { cameraController } from '../../store/actions/camera';

/** Shows the shared camera stream (the loop reads its own off-screen copy). Mirrored like a mirror when asked. */
export function CameraVideo({ label }: { label: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  const open = useAppStore((s) => s.camera.open);
  const deviceId = useAppStore((s) => s.camera.deviceId);
  const mirror = useAppStore((s) => s.camera.mirror);
  // Switching between front and back may keep the device id (one physical camera): re-bind on the facing too.
  const facing = useAppStore((s) => s.camera.facing);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.srcObject = open ? cameraController().current : null;
    if (open) void video.play().catch(() => undefined);
    return () => {
      video.srcObject = null;
    };
  }, [open, deviceId, facing]);
  return <video ref={ref} className={`camera${mirror ? ' mirrored' : ''}`} muted playsInline aria-label={label} />;
}
