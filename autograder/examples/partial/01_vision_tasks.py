# Example student "partial": box formats, matching, AP and the Gram matrix right; four realistic slips.
# - box_iou does not clamp the overlap at 0, so two boxes apart on both axes get a positive
#   "intersection" (negative × negative), and two zero-area boxes give NaN.
# - mean_iou counts a class absent from both masks as IoU 0 instead of leaving it out.
# - class_aware_nms ignores the labels, so a box of one digit suppresses another digit.
# - bleu skips clipping, so repeated words earn credit the reference does not give.
# Expected: box_formats 2 of 2, box_iou 0 of 2, mean_iou 0 of 2, class_aware_nms 0 of 2,
# match_detections 2 of 2, average_precision 2 of 2, bleu 0 of 2, gram_matrix 1 of 1: 7 of 15.

# %% [box_formats]
def xywh_to_xyxy(boxes):
    x, y, w, h = boxes.unbind(dim=1)
    return torch.stack([x, y, x + w, y + h], dim=1)


def xyxy_to_cxcywh(boxes):
    x1, y1, x2, y2 = boxes.unbind(dim=1)
    return torch.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], dim=1)

# %% [box_iou]
def box_iou(boxes1, boxes2):
    top_left = torch.maximum(boxes1[:, None, :2], boxes2[None, :, :2])
    bottom_right = torch.minimum(boxes1[:, None, 2:], boxes2[None, :, 2:])
    overlap = bottom_right - top_left
    intersection = overlap[..., 0] * overlap[..., 1]
    area1 = (boxes1[:, 2] - boxes1[:, 0]) * (boxes1[:, 3] - boxes1[:, 1])
    area2 = (boxes2[:, 2] - boxes2[:, 0]) * (boxes2[:, 3] - boxes2[:, 1])
    return intersection / (area1[:, None] + area2[None, :] - intersection)

# %% [mean_iou]
def mean_iou(confusion):
    confusion = confusion.double()
    tp = confusion.diagonal()
    union = confusion.sum(0) + confusion.sum(1) - tp
    return float((tp / union.clamp(min=1)).mean())

# %% [class_aware_nms]
def class_aware_nms(boxes, scores, labels, iou_threshold):
    order = torch.sort(scores, descending=True, stable=True).indices
    keep = []
    for index in order.tolist():
        if all(box_iou(boxes[[kept]], boxes[[index]]).item() <= iou_threshold for kept in keep):
            keep.append(index)
    return torch.tensor(keep, dtype=torch.int64)

# %% [match_detections]
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    hits = torch.zeros(len(boxes), dtype=torch.bool)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return hits
    # This student trusts coursekit's IoU more than their own box_iou above.
    overlaps = vision.box_iou(boxes, gt_boxes)
    used = torch.zeros(len(gt_boxes), dtype=torch.bool)
    for index in torch.argsort(scores, descending=True, stable=True).tolist():
        candidates = torch.where(used, torch.tensor(-1.0), overlaps[index])
        best = int(candidates.argmax())
        if candidates[best] >= iou_threshold:
            hits[index], used[best] = True, True
    return hits

# %% [average_precision]
def average_precision(scores, is_true_positive, n_ground_truth):
    if len(scores) == 0:
        return 0.0
    hits = is_true_positive[torch.argsort(scores, descending=True, stable=True)].double()
    precision = hits.cumsum(0) / torch.arange(1, len(hits) + 1)
    recall = hits.cumsum(0) / n_ground_truth
    envelope = precision.flip(0).cummax(0).values.flip(0)
    return float((torch.diff(recall, prepend=torch.zeros(1, dtype=torch.float64)) * envelope).sum())

# %% [bleu]
import math


def bleu(candidate, references, n=4):
    if not candidate:
        return 0.0
    log_sum = 0.0
    for k in range(1, n + 1):
        grams = [tuple(candidate[i : i + k]) for i in range(len(candidate) - k + 1)]
        reference_grams = {tuple(ref[i : i + k]) for ref in references for i in range(len(ref) - k + 1)}
        matches = sum(gram in reference_grams for gram in grams)
        if matches == 0:
            return 0.0
        log_sum += math.log(matches / len(grams))
    c = len(candidate)
    r = min((abs(len(ref) - c), len(ref)) for ref in references)[1]
    return (1.0 if c > r else math.exp(1 - r / c)) * math.exp(log_sum / n)

# %% [gram_matrix]
def gram_matrix(features):
    flat = features.flatten(1)
    return flat @ flat.t() / flat.shape[1]
