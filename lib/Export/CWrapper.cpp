//===- CWrapper.cpp - The C entry of a lowered function -------------------===//
//
// Gives each exported function the C signature of the wrapper ABI
// (Export.h): an LLVM-dialect function with the original name builds memref
// descriptors from plain pointers and sizes, calls the lowered function
// (renamed `__attn_impl_<name>`, internal), checks the sizes of its results
// against those the description derives from the arguments, copies them
// into the caller's buffers and frees what the function allocated.
//
//===----------------------------------------------------------------------===//

#include "attn/Export/Export.h"

#include "mlir/Dialect/LLVMIR/FunctionCallUtils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::attn;

static int64_t getByteSize(Type elementType) {
  if (elementType.isInteger(1))
    return 1;
  return (elementType.getIntOrFloatBitWidth() + 7) / 8;
}

/// The integer type of the C parameter for a scalar of `elementType`.
static Type getCScalarType(MLIRContext *ctx, Type elementType) {
  if (elementType.isInteger(1))
    return IntegerType::get(ctx, 8);
  if (elementType.isF16() || elementType.isBF16())
    return IntegerType::get(ctx, 16);
  return elementType;
}

LLVM::LLVMFunctionType
mlir::attn::getCFunctionType(MLIRContext *ctx,
                             const ExportedFunction &exported) {
  // Inputs, outputs, dynamic sizes.
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  SmallVector<Type> params;
  for (const ExportedPort &arg : exported.args)
    params.push_back(arg.isTensor ? ptrType
                                  : getCScalarType(ctx, arg.elementType));
  params.append(exported.results.size(), ptrType);
  params.append(exported.dimParams.size(), IntegerType::get(ctx, 64));
  return LLVM::LLVMFunctionType::get(IntegerType::get(ctx, 32), params);
}

/// Replaces the lowered `@name` by `llvm.func @name(<C parameters>) -> i32`
/// calling the renamed, internal original.
static LogicalResult buildWrapper(ModuleOp module,
                                  const ExportedFunction &exported) {
  MLIRContext *ctx = module.getContext();
  auto impl = module.lookupSymbol<LLVM::LLVMFuncOp>(exported.name);
  if (!impl || impl.isExternal())
    return module.emitError() << "internal error: no lowered function @"
                              << exported.name;
  std::string implName = "__attn_impl_" + exported.name;
  if (module.lookupSymbol(implName))
    return impl.emitError() << "symbol @" << implName << " already exists";
  if (failed(SymbolTable::replaceAllSymbolUses(
          impl, StringAttr::get(ctx, implName), module)))
    return impl.emitError() << "cannot rename @" << exported.name;
  SymbolTable::setSymbolName(impl, implName);
  impl.setLinkage(LLVM::Linkage::Internal);

  Location loc = impl.getLoc();
  OpBuilder b(ctx);
  b.setInsertionPointAfter(impl);
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  Type i1 = b.getI1Type(), i32 = b.getI32Type(), i64 = b.getI64Type();

  auto wrapper = LLVM::LLVMFuncOp::create(b, loc, exported.name,
                                          getCFunctionType(ctx, exported));
  Block *entry = wrapper.addEntryBlock(b);
  b.setInsertionPointToStart(entry);
  unsigned numArgs = exported.args.size();
  unsigned numResults = exported.results.size();
  auto getInput = [&](unsigned i) { return entry->getArgument(i); };
  auto getOutput = [&](unsigned i) {
    return entry->getArgument(numArgs + i);
  };
  auto getDimParam = [&](unsigned i) {
    return entry->getArgument(numArgs + numResults + i);
  };
  auto constI64 = [&](int64_t v) -> Value {
    return LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(v));
  };

  // Call operands: one expanded memref descriptor per tensor.
  SmallVector<Value> operands;
  // The expanded descriptor of a dense array at `pointer` of `port`'s shape.
  auto appendDescriptor = [&](Value pointer, const ExportedPort &port,
                              ArrayRef<Value> sizes) {
    SmallVector<Value> strides(sizes.size());
    Value stride = constI64(1);
    for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
      strides[d] = stride;
      if (d > 0)
        stride = LLVM::MulOp::create(b, loc, stride, sizes[d]);
    }
    operands.append({pointer, pointer, constI64(0)});
    operands.append(sizes.begin(), sizes.end());
    operands.append(strides);
  };
  unsigned nextDimParam = 0;
  for (auto [i, arg] : llvm::enumerate(exported.args)) {
    Value input = getInput(i);
    if (!arg.isTensor) {
      Value v = input;
      if (arg.elementType.isInteger(1))
        v = LLVM::TruncOp::create(b, loc, i1, v);
      else if (arg.elementType != v.getType())
        v = LLVM::BitcastOp::create(b, loc, arg.elementType, v);
      operands.push_back(v);
      continue;
    }
    SmallVector<Value> sizes;
    for (int64_t size : arg.shape)
      sizes.push_back(ShapedType::isDynamic(size) ? getDimParam(nextDimParam++)
                                                  : constI64(size));
    appendDescriptor(input, arg, sizes);
  }
  LLVM::LLVMFunctionType implType = impl.getFunctionType();
  // A function lowered with its results as out-parameters (the GPU
  // pipeline: the caller's buffers are device memory the kernels write)
  // takes one more descriptor per result, built on the caller's pointers,
  // and returns nothing: nothing to check, copy or free.
  bool allTensorResults = llvm::all_of(
      exported.results, [](const ExportedPort &r) { return r.isTensor; });
  if (numResults > 0 && allTensorResults &&
      isa<LLVM::LLVMVoidType>(implType.getReturnType())) {
    for (auto [i, result] : llvm::enumerate(exported.results)) {
      SmallVector<Value> sizes;
      for (const DimSource &source : exported.resultDims[i])
        sizes.push_back(source.param >= 0 ? getDimParam(source.param)
                                          : constI64(source.constant));
      appendDescriptor(getOutput(i), result, sizes);
    }
    if (implType.getNumParams() != operands.size())
      return impl.emitError()
             << "internal error: the lowered function takes "
             << implType.getNumParams() << " values, expected "
             << operands.size();
    LLVM::CallOp::create(b, loc, impl, operands);
    LLVM::ReturnOp::create(
        b, loc, LLVM::ConstantOp::create(b, loc, i32, b.getI32IntegerAttr(0)));
    return success();
  }
  if (implType.getNumParams() != operands.size())
    return impl.emitError() << "internal error: the lowered function takes "
                            << implType.getNumParams() << " values, expected "
                            << operands.size();
  auto call = LLVM::CallOp::create(b, loc, impl, operands);

  // The results, one value each.
  SmallVector<Value> results;
  if (numResults == 1) {
    results.push_back(call.getResult());
  } else {
    for (unsigned i = 0; i < numResults; ++i)
      results.push_back(LLVM::ExtractValueOp::create(
          b, loc, call.getResult(), ArrayRef<int64_t>{i}));
  }

  // Sizes of the results against those the header promises.
  Value ok = LLVM::ConstantOp::create(b, loc, i1, b.getBoolAttr(true));
  SmallVector<Value> byteSizes(numResults);
  for (auto [i, result] : llvm::enumerate(exported.results)) {
    if (!result.isTensor)
      continue;
    Value bytes = constI64(getByteSize(result.elementType));
    for (auto [d, source] : llvm::enumerate(exported.resultDims[i])) {
      Value expected = source.param >= 0 ? getDimParam(source.param)
                                         : constI64(source.constant);
      Value actual = LLVM::ExtractValueOp::create(
          b, loc, results[i], ArrayRef<int64_t>{3, static_cast<int64_t>(d)});
      Value same = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq,
                                        actual, expected);
      ok = LLVM::AndOp::create(b, loc, ok, same);
      bytes = LLVM::MulOp::create(b, loc, bytes, expected);
    }
    byteSizes[i] = bytes;
  }

  // Copies (nothing when a size disagrees), then frees: a result may share
  // its allocation with another result or be an input or a constant global
  // (0xdeadbeef, as the memref lowering marks them); those are not freed.
  Value zero = constI64(0);
  SmallVector<Value> allocated;
  for (auto [i, result] : llvm::enumerate(exported.results)) {
    if (!result.isTensor) {
      Value v = results[i];
      Type cType = getCScalarType(ctx, result.elementType);
      if (result.elementType.isInteger(1))
        v = LLVM::ZExtOp::create(b, loc, cType, v);
      else if (cType != v.getType())
        v = LLVM::BitcastOp::create(b, loc, cType, v);
      LLVM::StoreOp::create(b, loc, v, getOutput(i));
      continue;
    }
    Value aligned = LLVM::ExtractValueOp::create(b, loc, results[i],
                                                 ArrayRef<int64_t>{1});
    Value offset = LLVM::ExtractValueOp::create(b, loc, results[i],
                                                ArrayRef<int64_t>{2});
    Value source = LLVM::GEPOp::create(b, loc, ptrType, result.elementType,
                                       aligned, ValueRange{offset});
    Value length = LLVM::SelectOp::create(b, loc, ok, byteSizes[i], zero);
    LLVM::MemmoveOp::create(b, loc, getOutput(i), source, length,
                            /*isVolatile=*/false);
    allocated.push_back(LLVM::ExtractValueOp::create(b, loc, results[i],
                                                     ArrayRef<int64_t>{0}));
  }
  FailureOr<LLVM::LLVMFuncOp> freeFn = LLVM::lookupOrCreateFreeFn(b, module);
  if (failed(freeFn))
    return module.emitError() << "cannot declare free()";
  Value null = LLVM::ZeroOp::create(b, loc, ptrType);
  Value deadbeef =
      LLVM::IntToPtrOp::create(b, loc, ptrType, constI64(0xdeadbeef));
  for (auto [i, ptr] : llvm::enumerate(allocated)) {
    SmallVector<Value> notOwned = {deadbeef};
    for (auto [j, arg] : llvm::enumerate(exported.args))
      if (arg.isTensor)
        notOwned.push_back(getInput(j));
    notOwned.append(allocated.begin(), allocated.begin() + i);
    Value skip = LLVM::ConstantOp::create(b, loc, i1, b.getBoolAttr(false));
    for (Value other : notOwned)
      skip = LLVM::OrOp::create(
          b, loc, skip,
          LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, ptr, other));
    Value toFree = LLVM::SelectOp::create(b, loc, skip, null, ptr);
    LLVM::CallOp::create(b, loc, *freeFn, ValueRange{toFree});
  }
  Value status = LLVM::SelectOp::create(
      b, loc, ok, LLVM::ConstantOp::create(b, loc, i32, b.getI32IntegerAttr(0)),
      LLVM::ConstantOp::create(b, loc, i32, b.getI32IntegerAttr(1)));
  LLVM::ReturnOp::create(b, loc, status);
  return success();
}

LogicalResult mlir::attn::buildCWrappers(ModuleOp module,
                                         ArrayRef<ExportedFunction> funcs) {
  for (auto func : module.getOps<LLVM::LLVMFuncOp>())
    if (!func.isExternal())
      func.setLinkage(LLVM::Linkage::Internal);
  for (const ExportedFunction &f : funcs)
    if (failed(buildWrapper(module, f)))
      return failure();
  return verify(module);
}
