# Example student "complete": every exercise of notebook 01 right, written differently from the
# reference solutions.

# %% [box_formats]
def xywh_to_xyxy(boxes):
    corners = boxes.clone()
    corners[:, 2:] = boxes[:, :2] + boxes[:, 2:]
    return corners


def xyxy_to_cxcywh(boxes):
    centre = (boxes[:, :2] + boxes[:, 2:]) / 2
    size = boxes[:, 2:] - boxes[:, :2]
    return torch.cat([centre, size], dim=1)

# %% [box_iou]
def box_iou(boxes1, boxes2):
    result = torch.zeros(len(boxes1), len(boxes2))
    for i, a in enumerate(boxes1):
        for j, b in enumerate(boxes2):
            width = max(0.0, float(min(a[2], b[2]) - max(a[0], b[0])))
            height = max(0.0, float(min(a[3], b[3]) - max(a[1], b[1])))
            intersection = width * height
            union = float((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1])) - intersection
            result[i, j] = intersection / union if union > 0 else 0.0
    return result

# %% [mean_iou]
def mean_iou(confusion):
    ious = []
    for k in range(confusion.shape[0]):
        tp = int(confusion[k, k])
        union = int(confusion[k, :].sum()) + int(confusion[:, k].sum()) - tp
        if union > 0:
            ious.append(tp / union)
    return sum(ious) / len(ious)

# %% [class_aware_nms]
def class_aware_nms(boxes, scores, labels, iou_threshold):
    order = torch.sort(scores, descending=True, stable=True).indices.tolist()
    keep = []
    for index in order:
        clash = [
            kept for kept in keep
            if labels[kept] == labels[index] and box_iou(boxes[kept : kept + 1], boxes[index : index + 1]).item() > iou_threshold
        ]
        if not clash:
            keep.append(index)
    return torch.tensor(keep, dtype=torch.int64)

# %% [match_detections]
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    hits = torch.zeros(len(boxes), dtype=torch.bool)
    free = list(range(len(gt_boxes)))
    for index in torch.sort(scores, descending=True, stable=True).indices.tolist():
        if not free:
            break
        overlaps = box_iou(boxes[index : index + 1], gt_boxes[free])[0]
        best = int(overlaps.argmax())
        if overlaps[best] >= iou_threshold:
            hits[index] = True
            free.pop(best)
    return hits

# %% [average_precision]
def average_precision(scores, is_true_positive, n_ground_truth):
    order = torch.sort(scores, descending=True, stable=True).indices.tolist()
    precisions, recalls, found = [], [], 0
    for rank, index in enumerate(order, start=1):
        found += int(is_true_positive[index])
        precisions.append(found / rank)
        recalls.append(found / n_ground_truth)
    ap, previous_recall = 0.0, 0.0
    for k in range(len(order)):
        ap += (recalls[k] - previous_recall) * max(precisions[k:])
        previous_recall = recalls[k]
    return ap

# %% [bleu]
from collections import Counter
import math


def bleu(candidate, references, n=4):
    if not candidate:
        return 0.0
    total_log = 0.0
    for k in range(1, n + 1):
        grams = Counter(tuple(candidate[i : i + k]) for i in range(len(candidate) - k + 1))
        clipped = 0
        for gram, count in grams.items():
            best = max(sum(1 for i in range(len(ref) - k + 1) if tuple(ref[i : i + k]) == gram) for ref in references)
            clipped += min(count, best)
        if clipped == 0:
            return 0.0
        total_log += math.log(clipped / sum(grams.values()))
    c = len(candidate)
    r = sorted((abs(len(ref) - c), len(ref)) for ref in references)[0][1]
    penalty = 1.0 if c > r else math.exp(1 - r / c)
    return penalty * math.exp(total_log / n)

# %% [gram_matrix]
def gram_matrix(features):
    channels, height, width = features.shape
    return torch.einsum("chw,dhw->cd", features, features) / (height * width)
