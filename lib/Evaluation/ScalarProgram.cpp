//===- ScalarProgram.cpp - Float64 interpreter of scalar code -------------===//
//
// Implements ScalarProgram: each arith or math op on scalars becomes one
// instruction over numbered slots (constants are stored at compile time), so
// running a score_mod or a linalg body at each point neither looks up values
// by name nor dispatches on op names. Integer ops wrap to their bit width,
// float ops run in double, and results narrower than f32 are rounded as
// compiled code rounds them. Undefined operations (division by zero, shifts
// past the width, out-of-range float-to-integer conversions) are recorded
// with the indices at which they happen.
//
//===----------------------------------------------------------------------===//

#include "ScalarProgram.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cassert>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::attn::runtime;

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// Formats `loc` as "file:line:col" when it holds a file location, else as
/// MLIR prints it.
std::string mlir::attn::runtime::formatLocation(Location loc) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto fileLoc = loc->findInstanceOf<FileLineColLoc>())
    os << fileLoc.getFilename().getValue() << ':' << fileLoc.getLine() << ':'
       << fileLoc.getColumn();
  else
    os << loc;
  return text;
}

/// Returns "LOC: 'op.name' MESSAGE".
std::string mlir::attn::runtime::formatOpMessage(Operation *op,
                                                 const Twine &message) {
  return (formatLocation(op->getLoc()) + ": '" + op->getName().getStringRef() +
          "' " + message)
      .str();
}

/// Prints `type` as MLIR does.
std::string mlir::attn::runtime::formatType(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

/// Converts `value` to double, exactly for every format narrower than f64.
double mlir::attn::runtime::toDouble(llvm::APFloat value) {
  bool losesInfo = false;
  value.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
                &losesInfo);
  return value.convertToDouble();
}

//===----------------------------------------------------------------------===//
// Instructions
//===----------------------------------------------------------------------===//

namespace mlir::attn::runtime {

/// The operations a compiled program executes.
enum class ScalarOpcode : uint8_t {
  // Float arithmetic.
  AddF,
  SubF,
  MulF,
  DivF,
  RemF,
  NegF,
  MaximumF,
  MinimumF,
  MaxNumF,
  MinNumF,
  // Integer arithmetic.
  AddI,
  SubI,
  MulI,
  DivSI,
  DivUI,
  RemSI,
  RemUI,
  FloorDivSI,
  CeilDivSI,
  MaxSI,
  MinSI,
  MaxUI,
  MinUI,
  AndI,
  OrI,
  XOrI,
  ShLI,
  ShRSI,
  ShRUI,
  AbsI,
  // Conversions.
  IndexCast,
  IndexCastUI,
  SIToFP,
  UIToFP,
  FPToSI,
  FPToUI,
  ExtF,
  TruncF,
  ExtSI,
  ExtUI,
  TruncI,
  // Comparisons and selection.
  CmpF,
  CmpI,
  Select,
  // Math.
  Exp,
  Exp2,
  Log,
  Log2,
  Log1p,
  ExpM1,
  Tanh,
  AbsF,
  Sqrt,
  Rsqrt,
  Erf,
  Sin,
  Cos,
  Floor,
  Ceil,
  Trunc,
  Round,
  PowF,
  CopySign,
  Fma,
};

/// One instruction of a compiled program: reads the slots in `operands` and
/// writes the slot `result`.
struct ScalarInst {
  ScalarOpcode opcode;
  unsigned result = 0;
  std::array<unsigned, 3> operands = {0, 0, 0};
  /// Bit width of the integer result (64 for index and floats).
  unsigned width = 64;
  /// Bit width of the first integer operand (64 for index and floats).
  unsigned srcWidth = 64;
  /// The comparison predicate of CmpF/CmpI.
  uint64_t predicate = 0;
  /// For conversions to floats: the result format, to round to.
  const llvm::fltSemantics *semantics = nullptr;
  llvm::RoundingMode roundingMode = llvm::RoundingMode::NearestTiesToEven;
  /// Whether the float result is narrower than f32 (f16, bf16): compiled
  /// code rounds every such result, so the reference rounds it too.
  bool roundsBelowF32 = false;
  /// The op this instruction comes from, for messages.
  Operation *op = nullptr;
};

} // namespace mlir::attn::runtime

/// Returns the bit width of an integer or index type, 64 for anything else.
static unsigned getIntWidth(Type type) {
  if (auto intType = dyn_cast<IntegerType>(type))
    return intType.getWidth();
  return 64;
}

bool mlir::attn::runtime::isSupportedScalarType(Type type) {
  if (isa<IndexType>(type))
    return true;
  if (auto intType = dyn_cast<IntegerType>(type))
    return intType.getWidth() >= 1 && intType.getWidth() <= 64;
  if (auto floatType = dyn_cast<FloatType>(type))
    return floatType.getWidth() <= 64;
  return false;
}

/// Maps an arith rounding mode to the APFloat one.
static llvm::RoundingMode convertRoundingMode(arith::RoundingMode mode) {
  switch (mode) {
  case arith::RoundingMode::to_nearest_even:
    return llvm::RoundingMode::NearestTiesToEven;
  case arith::RoundingMode::downward:
    return llvm::RoundingMode::TowardNegative;
  case arith::RoundingMode::upward:
    return llvm::RoundingMode::TowardPositive;
  case arith::RoundingMode::toward_zero:
    return llvm::RoundingMode::TowardZero;
  case arith::RoundingMode::to_nearest_away:
    return llvm::RoundingMode::NearestTiesToAway;
  }
  llvm_unreachable("unknown rounding mode");
}

//===----------------------------------------------------------------------===//
// Compilation
//===----------------------------------------------------------------------===//

ScalarProgram::ScalarProgram(std::string context,
                             std::vector<std::string> indexNames)
    : context(std::move(context)), indexNames(std::move(indexNames)),
      currentIndices(this->indexNames.size(), 0) {}

ScalarProgram::~ScalarProgram() = default;
ScalarProgram::ScalarProgram(ScalarProgram &&) noexcept = default;
ScalarProgram &ScalarProgram::operator=(ScalarProgram &&) noexcept = default;

unsigned ScalarProgram::addSlot(Value value) {
  unsigned slot = slots.size();
  slots.emplace_back();
  slotOf[value] = slot;
  return slot;
}

int64_t ScalarProgram::lookupSlot(Value value) const {
  auto it = slotOf.find(value);
  return it == slotOf.end() ? -1 : static_cast<int64_t>(it->second);
}

LogicalResult ScalarProgram::compileOp(Operation &op, std::string &message) {
  // "LOC: 'op' [DETAIL ][CONTEXT ]has no float64 reference".
  auto unsupported = [&](const Twine &detail) {
    std::string text = detail.str();
    if (!text.empty())
      text += ' ';
    if (!context.empty())
      text += context + ' ';
    message = formatOpMessage(&op, text + "has no float64 reference");
    return failure();
  };
  if (op.getNumRegions() != 0 || op.getNumResults() != 1)
    return unsupported("");
  for (TypeRange types :
       {TypeRange(op.getOperandTypes()), TypeRange(op.getResultTypes())})
    for (Type type : types)
      if (!isSupportedScalarType(type))
        return unsupported("on " + formatType(type));

  // linalg.index reads an index that run writes.
  if (auto index = dyn_cast<linalg::IndexOp>(op)) {
    if (index.getDim() >= indexNames.size())
      return unsupported("");
    indexSlots.emplace_back(addSlot(index.getResult()), index.getDim());
    return success();
  }

  // Constants are stored straight into their slot.
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    Scalar value;
    if (auto floatAttr = dyn_cast<FloatAttr>(constant.getValue()))
      value.f = toDouble(floatAttr.getValue());
    else if (auto intAttr = dyn_cast<IntegerAttr>(constant.getValue()))
      value.i = intAttr.getValue().getSExtValue();
    else
      return unsupported("with a non-scalar value");
    slots[addSlot(constant.getResult())] = value;
    return success();
  }

  ScalarInst inst;
  inst.op = &op;
  Type resultType = op.getResult(0).getType();
  inst.width = getIntWidth(resultType);
  if (op.getNumOperands() != 0)
    inst.srcWidth = getIntWidth(op.getOperand(0).getType());
  if (auto floatType = dyn_cast<FloatType>(resultType)) {
    inst.semantics = &floatType.getFloatSemantics();
    inst.roundsBelowF32 = floatType.getWidth() < 32;
  }

  auto set = [&inst](ScalarOpcode opcode) {
    return [&inst, opcode](auto) {
      inst.opcode = opcode;
      return true;
    };
  };
  using Opc = ScalarOpcode;
  bool known =
      llvm::TypeSwitch<Operation *, bool>(&op)
          .Case<arith::AddFOp>(set(Opc::AddF))
          .Case<arith::SubFOp>(set(Opc::SubF))
          .Case<arith::MulFOp>(set(Opc::MulF))
          .Case<arith::DivFOp>(set(Opc::DivF))
          .Case<arith::RemFOp>(set(Opc::RemF))
          .Case<arith::NegFOp>(set(Opc::NegF))
          .Case<arith::MaximumFOp>(set(Opc::MaximumF))
          .Case<arith::MinimumFOp>(set(Opc::MinimumF))
          .Case<arith::MaxNumFOp>(set(Opc::MaxNumF))
          .Case<arith::MinNumFOp>(set(Opc::MinNumF))
          .Case<arith::AddIOp>(set(Opc::AddI))
          .Case<arith::SubIOp>(set(Opc::SubI))
          .Case<arith::MulIOp>(set(Opc::MulI))
          .Case<arith::DivSIOp>(set(Opc::DivSI))
          .Case<arith::DivUIOp>(set(Opc::DivUI))
          .Case<arith::RemSIOp>(set(Opc::RemSI))
          .Case<arith::RemUIOp>(set(Opc::RemUI))
          .Case<arith::FloorDivSIOp>(set(Opc::FloorDivSI))
          .Case<arith::CeilDivSIOp>(set(Opc::CeilDivSI))
          .Case<arith::MaxSIOp>(set(Opc::MaxSI))
          .Case<arith::MinSIOp>(set(Opc::MinSI))
          .Case<arith::MaxUIOp>(set(Opc::MaxUI))
          .Case<arith::MinUIOp>(set(Opc::MinUI))
          .Case<arith::AndIOp>(set(Opc::AndI))
          .Case<arith::OrIOp>(set(Opc::OrI))
          .Case<arith::XOrIOp>(set(Opc::XOrI))
          .Case<arith::ShLIOp>(set(Opc::ShLI))
          .Case<arith::ShRSIOp>(set(Opc::ShRSI))
          .Case<arith::ShRUIOp>(set(Opc::ShRUI))
          .Case<math::AbsIOp>(set(Opc::AbsI))
          .Case<arith::IndexCastOp>(set(Opc::IndexCast))
          .Case<arith::IndexCastUIOp>(set(Opc::IndexCastUI))
          .Case<arith::SIToFPOp>(set(Opc::SIToFP))
          .Case<arith::UIToFPOp>(set(Opc::UIToFP))
          .Case<arith::FPToSIOp>(set(Opc::FPToSI))
          .Case<arith::FPToUIOp>(set(Opc::FPToUI))
          .Case<arith::ExtFOp>(set(Opc::ExtF))
          .Case([&](arith::TruncFOp truncOp) {
            inst.opcode = Opc::TruncF;
            if (std::optional<arith::RoundingMode> mode =
                    truncOp.getRoundingmode())
              inst.roundingMode = convertRoundingMode(*mode);
            return true;
          })
          .Case<arith::ExtSIOp>(set(Opc::ExtSI))
          .Case<arith::ExtUIOp>(set(Opc::ExtUI))
          .Case<arith::TruncIOp>(set(Opc::TruncI))
          .Case([&](arith::CmpFOp cmpOp) {
            inst.opcode = Opc::CmpF;
            inst.predicate = static_cast<uint64_t>(cmpOp.getPredicate());
            return true;
          })
          .Case([&](arith::CmpIOp cmpOp) {
            inst.opcode = Opc::CmpI;
            inst.predicate = static_cast<uint64_t>(cmpOp.getPredicate());
            return true;
          })
          .Case<arith::SelectOp>(set(Opc::Select))
          .Case<math::ExpOp>(set(Opc::Exp))
          .Case<math::Exp2Op>(set(Opc::Exp2))
          .Case<math::LogOp>(set(Opc::Log))
          .Case<math::Log2Op>(set(Opc::Log2))
          .Case<math::Log1pOp>(set(Opc::Log1p))
          .Case<math::ExpM1Op>(set(Opc::ExpM1))
          .Case<math::TanhOp>(set(Opc::Tanh))
          .Case<math::AbsFOp>(set(Opc::AbsF))
          .Case<math::SqrtOp>(set(Opc::Sqrt))
          .Case<math::RsqrtOp>(set(Opc::Rsqrt))
          .Case<math::ErfOp>(set(Opc::Erf))
          .Case<math::SinOp>(set(Opc::Sin))
          .Case<math::CosOp>(set(Opc::Cos))
          .Case<math::FloorOp>(set(Opc::Floor))
          .Case<math::CeilOp>(set(Opc::Ceil))
          .Case<math::TruncOp>(set(Opc::Trunc))
          .Case<math::RoundOp>(set(Opc::Round))
          .Case<math::PowFOp>(set(Opc::PowF))
          .Case<math::CopySignOp>(set(Opc::CopySign))
          .Case<math::FmaOp>(set(Opc::Fma))
          .Default([](Operation *) { return false; });
  if (!known || op.getNumOperands() > inst.operands.size())
    return unsupported("");
  for (auto [index, operand] : llvm::enumerate(op.getOperands())) {
    int64_t slot = lookupSlot(operand);
    if (slot < 0) {
      slot = addSlot(operand);
      captures.emplace_back(operand, slot);
    }
    inst.operands[index] = slot;
  }
  inst.result = addSlot(op.getResult(0));
  instOf[&op] = insts.size();
  insts.push_back(inst);
  return success();
}

std::unique_ptr<ScalarProgram>
ScalarProgram::compileBlock(Block &body, std::string context,
                            std::vector<std::string> indexNames,
                            std::string &message) {
  auto program = std::make_unique<ScalarProgram>(std::move(context),
                                                 std::move(indexNames));
  std::string where = program->context.empty() ? "" : " " + program->context;
  for (BlockArgument arg : body.getArguments()) {
    if (!isSupportedScalarType(arg.getType())) {
      message = formatLocation(arg.getLoc()) + ": block argument #" +
                std::to_string(arg.getArgNumber()) + " of type " +
                formatType(arg.getType()) + where + " has no float64 reference";
      return nullptr;
    }
    program->addSlot(arg);
  }
  for (Operation &op : body) {
    if (!op.hasTrait<OpTrait::IsTerminator>()) {
      if (failed(program->compileOp(op, message)))
        return nullptr;
      continue;
    }
    for (Value operand : op.getOperands()) {
      if (!isSupportedScalarType(operand.getType())) {
        message = formatOpMessage(&op, "on " + formatType(operand.getType()) +
                                           where + " has no float64 reference");
        return nullptr;
      }
      int64_t slot = program->lookupSlot(operand);
      if (slot < 0) {
        slot = program->addSlot(operand);
        program->captures.emplace_back(operand, slot);
      }
      program->resultSlots.push_back(slot);
    }
    return program;
  }
  message = formatLocation(body.getParent()->getLoc()) +
            ": a block without terminator" + where +
            " has no float64 reference";
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Execution
//===----------------------------------------------------------------------===//

void ScalarProgram::setUndefined(const ScalarInst &inst, const Twine &why) {
  if (!error.empty())
    return;
  std::string text;
  llvm::raw_string_ostream os(text);
  if (!context.empty())
    os << context << ' ';
  os << why;
  if (!indexNames.empty()) {
    os << " (";
    for (auto [index, name] : llvm::enumerate(indexNames)) {
      if (index != 0)
        os << ", ";
      os << name << " = " << currentIndices[index];
    }
    os << ')';
  }
  error = formatOpMessage(inst.op, text);
}

/// Wraps `value` to a `width`-bit integer, sign-extended to 64 bits.
static int64_t wrapToWidth(uint64_t value, unsigned width) {
  if (width >= 64)
    return static_cast<int64_t>(value);
  return llvm::SignExtend64(value, width);
}

/// Returns the `width`-bit integer `value` read as unsigned.
static uint64_t toUnsigned(int64_t value, unsigned width) {
  if (width >= 64)
    return static_cast<uint64_t>(value);
  return static_cast<uint64_t>(value) & llvm::maskTrailingOnes<uint64_t>(width);
}

/// Evaluates an arith.cmpf predicate.
static bool compareFloats(arith::CmpFPredicate predicate, double lhs,
                          double rhs) {
  bool unordered = std::isnan(lhs) || std::isnan(rhs);
  using P = arith::CmpFPredicate;
  switch (predicate) {
  case P::AlwaysFalse:
    return false;
  case P::OEQ:
    return !unordered && lhs == rhs;
  case P::OGT:
    return !unordered && lhs > rhs;
  case P::OGE:
    return !unordered && lhs >= rhs;
  case P::OLT:
    return !unordered && lhs < rhs;
  case P::OLE:
    return !unordered && lhs <= rhs;
  case P::ONE:
    return !unordered && lhs != rhs;
  case P::ORD:
    return !unordered;
  case P::UEQ:
    return unordered || lhs == rhs;
  case P::UGT:
    return unordered || lhs > rhs;
  case P::UGE:
    return unordered || lhs >= rhs;
  case P::ULT:
    return unordered || lhs < rhs;
  case P::ULE:
    return unordered || lhs <= rhs;
  case P::UNE:
    return unordered || lhs != rhs;
  case P::UNO:
    return unordered;
  case P::AlwaysTrue:
    return true;
  }
  llvm_unreachable("unknown cmpf predicate");
}

/// Evaluates an arith.cmpi predicate on `width`-bit integers.
static bool compareInts(arith::CmpIPredicate predicate, int64_t lhs,
                        int64_t rhs, unsigned width) {
  uint64_t ulhs = toUnsigned(lhs, width), urhs = toUnsigned(rhs, width);
  using P = arith::CmpIPredicate;
  switch (predicate) {
  case P::eq:
    return lhs == rhs;
  case P::ne:
    return lhs != rhs;
  case P::slt:
    return lhs < rhs;
  case P::sle:
    return lhs <= rhs;
  case P::sgt:
    return lhs > rhs;
  case P::sge:
    return lhs >= rhs;
  case P::ult:
    return ulhs < urhs;
  case P::ule:
    return ulhs <= urhs;
  case P::ugt:
    return ulhs > urhs;
  case P::uge:
    return ulhs >= urhs;
  }
  llvm_unreachable("unknown cmpi predicate");
}

/// Rounds `value` to the float format `semantics` with `mode`.
static double roundTo(double value, const llvm::fltSemantics &semantics,
                      llvm::RoundingMode mode) {
  llvm::APFloat rounded(value);
  bool losesInfo = false;
  rounded.convert(semantics, mode, &losesInfo);
  return toDouble(rounded);
}

void ScalarProgram::execute(const ScalarInst &inst) {
  Scalar &r = slots[inst.result];
  const Scalar &x = slots[inst.operands[0]];
  const Scalar &y = slots[inst.operands[1]];
  const Scalar &z = slots[inst.operands[2]];
  unsigned w = inst.width;
  auto ux = static_cast<uint64_t>(x.i), uy = static_cast<uint64_t>(y.i);
  using Opc = ScalarOpcode;
  switch (inst.opcode) {
  case Opc::AddF:
    r.f = x.f + y.f;
    return;
  case Opc::SubF:
    r.f = x.f - y.f;
    return;
  case Opc::MulF:
    r.f = x.f * y.f;
    return;
  case Opc::DivF:
    r.f = x.f / y.f;
    return;
  case Opc::RemF:
    r.f = std::fmod(x.f, y.f);
    return;
  case Opc::NegF:
    r.f = -x.f;
    return;
  case Opc::MaximumF:
    if (std::isnan(x.f) || std::isnan(y.f))
      r.f = std::numeric_limits<double>::quiet_NaN();
    else if (x.f == y.f) // +0 is larger than -0.
      r.f = std::signbit(x.f) ? y.f : x.f;
    else
      r.f = std::max(x.f, y.f);
    return;
  case Opc::MinimumF:
    if (std::isnan(x.f) || std::isnan(y.f))
      r.f = std::numeric_limits<double>::quiet_NaN();
    else if (x.f == y.f)
      r.f = std::signbit(x.f) ? x.f : y.f;
    else
      r.f = std::min(x.f, y.f);
    return;
  case Opc::MaxNumF:
    r.f = std::fmax(x.f, y.f);
    return;
  case Opc::MinNumF:
    r.f = std::fmin(x.f, y.f);
    return;
  case Opc::AddI:
    r.i = wrapToWidth(ux + uy, w);
    return;
  case Opc::SubI:
    r.i = wrapToWidth(ux - uy, w);
    return;
  case Opc::MulI:
    r.i = wrapToWidth(ux * uy, w);
    return;
  case Opc::DivSI:
  case Opc::RemSI:
  case Opc::FloorDivSI:
  case Opc::CeilDivSI: {
    if (y.i == 0) {
      setUndefined(inst, "divides by zero");
      r.i = 0;
      return;
    }
    // x / -1 is -x (wrapping); the remainder is 0. This also avoids the
    // overflow of INT64_MIN / -1.
    if (y.i == -1) {
      r.i = inst.opcode == Opc::RemSI ? 0 : wrapToWidth(0 - ux, w);
      return;
    }
    int64_t quotient = x.i / y.i, remainder = x.i % y.i;
    bool sameSign = (x.i < 0) == (y.i < 0);
    if (inst.opcode == Opc::RemSI)
      r.i = remainder;
    else if (inst.opcode == Opc::FloorDivSI)
      r.i = quotient - (remainder != 0 && !sameSign ? 1 : 0);
    else if (inst.opcode == Opc::CeilDivSI)
      r.i = quotient + (remainder != 0 && sameSign ? 1 : 0);
    else
      r.i = quotient;
    return;
  }
  case Opc::DivUI:
  case Opc::RemUI: {
    uint64_t divisor = toUnsigned(y.i, w);
    if (divisor == 0) {
      setUndefined(inst, "divides by zero");
      r.i = 0;
      return;
    }
    uint64_t dividend = toUnsigned(x.i, w);
    r.i = wrapToWidth(
        inst.opcode == Opc::DivUI ? dividend / divisor : dividend % divisor, w);
    return;
  }
  case Opc::MaxSI:
    r.i = std::max(x.i, y.i);
    return;
  case Opc::MinSI:
    r.i = std::min(x.i, y.i);
    return;
  case Opc::MaxUI:
    r.i = toUnsigned(x.i, w) >= toUnsigned(y.i, w) ? x.i : y.i;
    return;
  case Opc::MinUI:
    r.i = toUnsigned(x.i, w) <= toUnsigned(y.i, w) ? x.i : y.i;
    return;
  case Opc::AndI:
    r.i = x.i & y.i;
    return;
  case Opc::OrI:
    r.i = x.i | y.i;
    return;
  case Opc::XOrI:
    r.i = x.i ^ y.i;
    return;
  case Opc::ShLI:
  case Opc::ShRSI:
  case Opc::ShRUI: {
    uint64_t shift = toUnsigned(y.i, w);
    if (shift >= w) {
      setUndefined(inst, "shifts by " + Twine(shift) + ", not less than the " +
                             Twine(w) + "-bit width");
      r.i = 0;
      return;
    }
    if (inst.opcode == Opc::ShLI)
      r.i = wrapToWidth(toUnsigned(x.i, w) << shift, w);
    else if (inst.opcode == Opc::ShRUI)
      r.i = wrapToWidth(toUnsigned(x.i, w) >> shift, w);
    else // Sign-extended, so an arithmetic shift of the 64-bit value.
      r.i = x.i < 0 ? ~(~x.i >> shift) : x.i >> shift;
    return;
  }
  case Opc::AbsI:
    r.i = wrapToWidth(x.i < 0 ? 0 - ux : ux, w);
    return;
  case Opc::IndexCast:
  case Opc::ExtSI:
  case Opc::TruncI:
    // Sign-extending keeps the value; truncating wraps it.
    r.i = wrapToWidth(ux, w);
    return;
  case Opc::IndexCastUI:
  case Opc::ExtUI:
    r.i =
        wrapToWidth(inst.srcWidth < w ? toUnsigned(x.i, inst.srcWidth) : ux, w);
    return;
  case Opc::SIToFP:
    r.f = roundTo(static_cast<double>(x.i), *inst.semantics, inst.roundingMode);
    return;
  case Opc::UIToFP:
    r.f = roundTo(static_cast<double>(toUnsigned(x.i, inst.srcWidth)),
                  *inst.semantics, inst.roundingMode);
    return;
  case Opc::FPToSI:
  case Opc::FPToUI: {
    bool isSigned = inst.opcode == Opc::FPToSI;
    double truncated = std::trunc(x.f);
    double limit = std::ldexp(1.0, isSigned ? w - 1 : w);
    double lowest = isSigned ? -limit : 0.0;
    // Written so that NaN fails too.
    if (!(truncated >= lowest && truncated < limit)) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << "converts " << x.f << ", out of the range of i" << w;
      setUndefined(inst, text);
      r.i = 0;
      return;
    }
    r.i = isSigned ? static_cast<int64_t>(truncated)
                   : wrapToWidth(static_cast<uint64_t>(truncated), w);
    return;
  }
  case Opc::ExtF:
    r.f = x.f;
    return;
  case Opc::TruncF:
    r.f = roundTo(x.f, *inst.semantics, inst.roundingMode);
    return;
  case Opc::CmpF:
    r.i = compareFloats(static_cast<arith::CmpFPredicate>(inst.predicate), x.f,
                        y.f)
              ? -1
              : 0;
    return;
  case Opc::CmpI:
    r.i = compareInts(static_cast<arith::CmpIPredicate>(inst.predicate), x.i,
                      y.i, inst.srcWidth)
              ? -1
              : 0;
    return;
  case Opc::Select:
    r = x.i != 0 ? y : z;
    return;
  case Opc::Exp:
    r.f = std::exp(x.f);
    return;
  case Opc::Exp2:
    r.f = std::exp2(x.f);
    return;
  case Opc::Log:
    r.f = std::log(x.f);
    return;
  case Opc::Log2:
    r.f = std::log2(x.f);
    return;
  case Opc::Log1p:
    r.f = std::log1p(x.f);
    return;
  case Opc::ExpM1:
    r.f = std::expm1(x.f);
    return;
  case Opc::Tanh:
    r.f = std::tanh(x.f);
    return;
  case Opc::AbsF:
    r.f = std::fabs(x.f);
    return;
  case Opc::Sqrt:
    r.f = std::sqrt(x.f);
    return;
  case Opc::Rsqrt:
    r.f = 1.0 / std::sqrt(x.f);
    return;
  case Opc::Erf:
    r.f = std::erf(x.f);
    return;
  case Opc::Sin:
    r.f = std::sin(x.f);
    return;
  case Opc::Cos:
    r.f = std::cos(x.f);
    return;
  case Opc::Floor:
    r.f = std::floor(x.f);
    return;
  case Opc::Ceil:
    r.f = std::ceil(x.f);
    return;
  case Opc::Trunc:
    r.f = std::trunc(x.f);
    return;
  case Opc::Round:
    r.f = std::round(x.f);
    return;
  case Opc::PowF:
    r.f = std::pow(x.f, y.f);
    return;
  case Opc::CopySign:
    r.f = std::copysign(x.f, y.f);
    return;
  case Opc::Fma:
    r.f = std::fma(x.f, y.f, z.f);
    return;
  }
  llvm_unreachable("unknown scalar opcode");
}

void ScalarProgram::run(ArrayRef<Scalar> args, ArrayRef<int64_t> indices) {
  assert(indices.size() == currentIndices.size() && "one index per name");
  llvm::copy(indices, currentIndices.begin());
  llvm::copy(args, slots.begin());
  for (auto [slot, dim] : indexSlots)
    slots[slot].i = indices[dim];
  for (const ScalarInst &inst : insts) {
    execute(inst);
    if (inst.roundsBelowF32)
      slots[inst.result].f =
          roundTo(slots[inst.result].f, *inst.semantics, inst.roundingMode);
  }
}

void ScalarProgram::runOp(Operation *op) {
  const ScalarInst &inst = insts[instOf.lookup(op)];
  execute(inst);
  if (inst.roundsBelowF32)
    slots[inst.result].f =
        roundTo(slots[inst.result].f, *inst.semantics, inst.roundingMode);
}
