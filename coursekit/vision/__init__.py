"""Computer vision tasks as structured prediction: boxes, detection, segmentation, keypoints, captions.

The reference implementations behind notebook 01, in torch, with shapes and box formats in each
docstring. Boxes are (N, 4) tensors in pixels; see `coursekit.vision.boxes` for the formats.
"""

from coursekit.vision.boxes import BOX_FORMATS, box_area, box_convert, box_iou, check_boxes
from coursekit.vision.canvas import Canvases, make_canvases
from coursekit.vision.captions import bleu, clipped_precision, tokenize
from coursekit.vision.detection import (
    DetectionScore,
    average_precision,
    batched_nms,
    evaluate_detections,
    match_detections,
    nms,
)
from coursekit.vision.images import gram_matrix, psnr
from coursekit.vision.instances import best_instance_iou, label_instances, mask_iou, masks_from_labels
from coursekit.vision.keypoints import pck
from coursekit.vision.segmentation import confusion_matrix, mean_iou, per_class_iou, pixel_accuracy

__all__ = [
    "BOX_FORMATS",
    "Canvases",
    "DetectionScore",
    "average_precision",
    "batched_nms",
    "best_instance_iou",
    "bleu",
    "box_area",
    "box_convert",
    "box_iou",
    "check_boxes",
    "clipped_precision",
    "confusion_matrix",
    "evaluate_detections",
    "gram_matrix",
    "label_instances",
    "make_canvases",
    "mask_iou",
    "masks_from_labels",
    "match_detections",
    "mean_iou",
    "nms",
    "pck",
    "per_class_iou",
    "pixel_accuracy",
    "psnr",
    "tokenize",
]
