import type * as OrtCommon from 'onnxruntime-common';

/**
 * The part of an onnxruntime JavaScript package the backend uses. onnxruntime-node and
 * onnxruntime-web both re-export onnxruntime-common's API, so either module fits: this is how the
 * browser build avoids importing onnxruntime-node.
 */
export type OrtModule = Pick<typeof OrtCommon, 'InferenceSession' | 'Tensor'>;

export type OrtSessionOptions = OrtCommon.InferenceSession.SessionOptions;
export type OrtExecutionProvider = OrtCommon.InferenceSession.ExecutionProviderConfig;
export type OrtSession = OrtCommon.InferenceSession;
export type OrtTensor = OrtCommon.Tensor;
